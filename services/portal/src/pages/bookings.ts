/** Marriage-registration appointments and cemetery-visit bookings. */
import type { AppContext } from '../context';
import { FieldErrors, errorPanel, field, formErrorBox, formValue, h, onSubmit, selectField } from '../dom';
import { t } from '../i18n/i18n';
import { statusLabel } from '../status';
import { signInRequired } from './signin';

interface RegistryView {
  id: string;
  name: string;
  dailyCapacity: number;
}
interface AppointmentView {
  id: string;
  onDate: string;
  status: string;
  placesLeft: number;
}
interface SlotView {
  id: string;
  startsAt: string;
  endsAt: string;
  placesLeft: number;
}
interface BookingView {
  id: string;
  bookingCode: string;
  siteName: string;
  visitDate: string;
  startsAt: string;
  endsAt: string;
  status: string;
}

/** Today in Asia/Shanghai as YYYY-MM-DD (the service's calendar), plus `days`. */
export function shanghaiDate(days = 0, now = new Date()): string {
  const shifted = new Date(now.getTime() + 8 * 3600_000 + days * 86_400_000);
  return shifted.toISOString().slice(0, 10);
}

export async function marriagePage(ctx: AppContext): Promise<HTMLElement> {
  if (!ctx.session()) return signInRequired('#/marriage');
  let registries: RegistryView[];
  try {
    registries = (await ctx.api.get<{ items: RegistryView[] }>('/api/v1/social-affairs/marriage-registries')).items;
  } catch (error) {
    return h('section', {}, h('h2', {}, t('marriage.title')), errorPanel(error));
  }
  const result = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { novalidate: true, 'data-testid': 'marriage-form' },
    formErrorBox(),
    selectField('registryId', 'marriage.registry', registries.map((r) => ({ value: r.id, label: r.name }))),
    field('onDate', 'marriage.date', { type: 'date', required: true, min: shanghaiDate(1), value: shanghaiDate(3) }),
    field('partnerResidentId', 'marriage.partnerResidentId', { required: true, autocomplete: 'off', maxlength: 18 }),
    h('button', { type: 'submit' }, t('marriage.submit')),
  );
  onSubmit(form, async (data) => {
    const registryId = formValue(data, 'registryId');
    const booked = await ctx.api.post<AppointmentView>('/api/v1/social-affairs/marriage-appointments', {
      registryId,
      onDate: formValue(data, 'onDate'),
      partnerResidentId: formValue(data, 'partnerResidentId').toUpperCase(),
    });
    const registry = registries.find((r) => r.id === registryId)?.name ?? '';
    result.replaceChildren(
      h('div', { class: 'panel success', 'data-testid': 'marriage-booked' }, h('p', {}, t('marriage.booked', { date: booked.onDate, registry, left: booked.placesLeft })), h('p', {}, statusLabel('booking', booked.status))),
    );
  });
  return h('section', {}, h('h2', {}, t('marriage.title')), form, result);
}

export function cemeteryPage(ctx: AppContext): HTMLElement {
  if (!ctx.session()) return signInRequired('#/cemetery');
  const result = h('div', { 'aria-live': 'polite' });
  const slotChoice = selectField('slotId', 'cemetery.slot', []);
  const slotSelect = slotChoice.querySelector('select') as HTMLSelectElement;
  const siteChoice = selectField('siteId', 'cemetery.site', ctx.config.cemeterySites.map((s) => ({ value: s.id, label: s.name })));
  const dateField = field('visitDate', 'cemetery.date', { type: 'date', required: true, min: shanghaiDate(), value: ctx.params.get('date') ?? shanghaiDate(1) });
  const slotNote = h('p', { class: 'note', 'aria-live': 'polite' });

  const loadSlots = async (): Promise<void> => {
    const siteId = (siteChoice.querySelector('select') as HTMLSelectElement).value;
    const date = (dateField.querySelector('input') as HTMLInputElement).value;
    slotSelect.replaceChildren();
    slotNote.textContent = t('app.loading');
    try {
      const slots = (await ctx.api.get<{ items: SlotView[] }>(`/api/v1/social-affairs/cemetery/sites/${encodeURIComponent(siteId)}/slots?date=${encodeURIComponent(date)}`)).items;
      const open = slots.filter((s) => s.placesLeft > 0);
      for (const slot of open) slotSelect.appendChild(h('option', { value: slot.id }, t('cemetery.slotOption', { from: slot.startsAt, to: slot.endsAt, left: slot.placesLeft })));
      slotNote.textContent = open.length === 0 ? t('cemetery.noSlots') : '';
    } catch (error) {
      slotNote.replaceChildren(errorPanel(error));
    }
  };
  siteChoice.addEventListener('change', () => void loadSlots());
  dateField.addEventListener('change', () => void loadSlots());

  const form = h(
    'form',
    { novalidate: true, 'data-testid': 'cemetery-form' },
    formErrorBox(),
    siteChoice,
    dateField,
    slotChoice,
    slotNote,
    field('graveNumber', 'cemetery.graveNumber', { required: true, maxlength: 50 }),
    field('visitorName', 'cemetery.visitorName', { required: true, autocomplete: 'name', maxlength: 50 }),
    field('mobile', 'cemetery.mobile', { type: 'tel', required: true, autocomplete: 'tel', inputmode: 'tel', maxlength: 11 }),
    field('visitors', 'cemetery.visitors', { type: 'number', required: true, min: 1, max: 3, value: '1', inputmode: 'numeric' }),
    h('button', { type: 'submit' }, t('cemetery.submit')),
  );
  onSubmit(form, async (data) => {
    const slotId = formValue(data, 'slotId');
    if (!slotId) throw new FieldErrors({ fields: { slotId: [t('cemetery.noSlots')] }, general: [] });
    const visitors = Number(formValue(data, 'visitors'));
    const booked = await ctx.api.post<BookingView>('/api/v1/social-affairs/cemetery/bookings', {
      slotId,
      graveNumber: formValue(data, 'graveNumber'),
      visitorName: formValue(data, 'visitorName'),
      mobile: formValue(data, 'mobile'),
      visitors: Number.isInteger(visitors) ? visitors : 0,
    });
    result.replaceChildren(
      h(
        'div',
        { class: 'panel success', 'data-testid': 'cemetery-booked' },
        h('h3', {}, t('cemetery.booked')),
        h('p', {}, `${booked.siteName} ${booked.visitDate} ${booked.startsAt}–${booked.endsAt}`),
        h('p', { class: 'booking-code' }, `${t('cemetery.bookingCode')}：`, h('strong', { 'data-testid': 'booking-code' }, booked.bookingCode)),
        h('p', { class: 'note' }, t('cemetery.bookingCodeHint')),
      ),
    );
    void loadSlots();
  });
  void loadSlots();
  return h('section', {}, h('h2', {}, t('cemetery.title')), form, result);
}
