import { FieldErrors, field, formErrorBox, formValue, h, onSubmit } from '../dom';
import { t, type MessageKey } from '../i18n/i18n';
import type { AppContext } from '../context';

const STAFF_ROLES = ['leader', 'finance-officer', 'auditor', 'admin', 'clerk', 'township-reviewer', 'district-approver', 'registrar', 'elderly-care-officer', 'place-names-officer'] as const;

/**
 * Citizen sign-in. In development the gateway issues a token for a resident ID (POST
 * /api/v1/dev/tokens); production sign-in through the OIDC provider is still to be built.
 */
export function citizenSignInPage(ctx: AppContext): HTMLElement {
  const oidc = oidcButton(ctx, 'citizen', '#/');
  if (!ctx.config.devSignIn) return h('section', {}, h('h2', {}, t('signin.title')), oidc ?? h('p', { class: 'panel' }, t('signin.unavailable')));
  const form = h(
    'form',
    { novalidate: true, 'data-testid': 'signin-form' },
    formErrorBox(),
    field('name', 'signin.name', { required: true, autocomplete: 'name', maxlength: 50 }),
    field('residentId', 'signin.residentId', { required: true, autocomplete: 'off', maxlength: 18 }),
    h('button', { type: 'submit' }, t('signin.submit')),
  );
  onSubmit(form, async (data) => {
    const name = formValue(data, 'name');
    const residentId = formValue(data, 'residentId').toUpperCase();
    const missing: Record<string, string[]> = {};
    if (!name) missing.name = [t('rule.required')];
    if (!residentId) missing.residentId = [t('rule.required')];
    if (Object.keys(missing).length > 0) throw new FieldErrors({ fields: missing, general: [] });
    const issued = await ctx.api.post<{ accessToken: string }>('/api/v1/dev/tokens', { userId: name, kind: 'citizen', roles: ['citizen'], residentId });
    ctx.signIn({ token: issued.accessToken, kind: 'citizen', displayName: name, roles: ['citizen'] });
    ctx.navigate(ctx.params.get('next') ?? '#/');
  });
  return h('section', {}, h('h2', {}, t('signin.title')), oidc, h('p', { class: 'note' }, t('signin.devNote')), form);
}

/** The button that starts the OpenID sign-in, when the portal is configured for one. */
function oidcButton(ctx: AppContext, kind: 'citizen' | 'staff', fallback: string): HTMLElement | null {
  if (!ctx.config.oidc) return null;
  return h('p', {}, h('button', { type: 'button', 'data-testid': 'oidc-signin', onclick: () => ctx.oidcSignIn(kind, ctx.params.get('next') ?? fallback) }, t('signin.oidc')));
}

/** Staff sign-in (development tokens with the chosen roles and divisions). */
export function staffSignInPage(ctx: AppContext): HTMLElement {
  const oidc = oidcButton(ctx, 'staff', '#/staff');
  if (!ctx.config.devSignIn) return h('section', {}, h('h2', {}, t('staff.signinTitle')), oidc ?? h('p', { class: 'panel' }, t('signin.unavailable')));
  const roles = h(
    'fieldset',
    { class: 'field roles', 'data-field': 'roles' },
    h('legend', {}, t('staff.roles')),
    ...STAFF_ROLES.map((role) =>
      h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'roles', value: role, checked: role === 'leader' }), t(`role.${role}` as MessageKey)),
    ),
    h('p', { class: 'field-error', 'aria-live': 'polite' }),
  );
  const form = h(
    'form',
    { novalidate: true, 'data-testid': 'staff-signin-form' },
    formErrorBox(),
    field('userId', 'staff.userId', { required: true, value: 'leader', maxlength: 100 }),
    roles,
    field('divisions', 'staff.divisions', { value: '430503' }),
    h('button', { type: 'submit' }, t('staff.submit')),
  );
  onSubmit(form, async (data) => {
    const userId = formValue(data, 'userId');
    const chosen = data.getAll('roles').filter((r): r is string => typeof r === 'string');
    const divisions = formValue(data, 'divisions').split(/[,，\s]+/).filter(Boolean);
    const issued = await ctx.api.post<{ accessToken: string }>('/api/v1/dev/tokens', { userId, kind: 'staff', roles: chosen, divisions });
    ctx.signIn({ token: issued.accessToken, kind: 'staff', displayName: userId, roles: chosen });
    ctx.navigate(ctx.params.get('next') ?? '#/staff');
  });
  return h('section', {}, h('h2', {}, t('staff.signinTitle')), oidc, h('p', { class: 'note' }, t('signin.devNote')), form);
}

/** Shown instead of a page that needs a signed-in citizen. */
export function signInRequired(next: string): HTMLElement {
  return h('section', { class: 'panel' }, h('p', {}, t('signin.required')), h('a', { class: 'button', href: `#/signin?next=${encodeURIComponent(next)}` }, t('signin.goSignIn')));
}
