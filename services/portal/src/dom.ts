/** Small render helpers: the portal builds its pages from plain DOM elements. */
import { ApiError } from './api';
import { t, type MessageKey } from './i18n/i18n';
import { mapFieldErrors, parseProblem, problemSummary, type FormErrors } from './problem';

export type Child = Node | string | number | null | undefined | false;
type AttrValue = string | number | boolean | null | undefined;
export type Attrs = Record<string, AttrValue | ((event: Event) => void)>;

/** `h('p', { class: 'note' }, 'text', child)`: attributes, `on<event>` listeners, children (falsy ones skipped). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

let ids = 0;
const nextId = (name: string): string => `f-${name.replace(/[^\w-]/g, '-')}-${++ids}`;

export interface FieldOptions {
  type?: string;
  required?: boolean;
  value?: string;
  hint?: MessageKey;
  autocomplete?: string;
  inputmode?: string;
  min?: string | number;
  max?: string | number;
  maxlength?: number;
}

/** A labelled input with room for its error message (linked by aria-describedby). */
export function field(name: string, label: MessageKey, options: FieldOptions = {}): HTMLElement {
  const id = nextId(name);
  const input = h('input', {
    id,
    name,
    type: options.type ?? 'text',
    required: options.required ?? false,
    value: options.value,
    autocomplete: options.autocomplete,
    inputmode: options.inputmode,
    min: options.min,
    max: options.max,
    maxlength: options.maxlength,
  });
  return wrapField(name, id, label, input, options.hint);
}

export function textareaField(name: string, label: MessageKey, options: { required?: boolean; maxlength?: number } = {}): HTMLElement {
  const id = nextId(name);
  const textarea = h('textarea', { id, name, rows: 3, required: options.required ?? false, maxlength: options.maxlength });
  return wrapField(name, id, label, textarea);
}

export function selectField(name: string, label: MessageKey, choices: readonly { value: string; label: string }[], options: { required?: boolean } = {}): HTMLElement {
  const id = nextId(name);
  const select = h('select', { id, name, required: options.required ?? false }, ...choices.map((c) => h('option', { value: c.value }, c.label)));
  return wrapField(name, id, label, select);
}

function wrapField(name: string, id: string, label: MessageKey, control: HTMLElement, hint?: MessageKey): HTMLElement {
  const errorId = `${id}-error`;
  const describedBy = [errorId, hint ? `${id}-hint` : null].filter(Boolean).join(' ');
  control.setAttribute('aria-describedby', describedBy);
  return h(
    'div',
    { class: 'field', 'data-field': name },
    h('label', { for: id }, t(label)),
    control,
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, t(hint)) : null,
    h('p', { class: 'field-error', id: errorId, 'aria-live': 'polite' }),
  );
}

/** The names of the fields of a form, for matching the API's field errors. */
export function fieldNames(form: HTMLFormElement): string[] {
  return [...form.querySelectorAll<HTMLElement>('[data-field]')].map((el) => el.dataset.field ?? '');
}

export function clearFormErrors(form: HTMLFormElement): void {
  for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const summary = form.querySelector('.form-errors');
  if (summary) summary.replaceChildren();
}

/** Shows each message next to its field and the rest above the form; focuses the first bad field. */
export function showFormErrors(form: HTMLFormElement, errors: FormErrors): void {
  clearFormErrors(form);
  let first: HTMLElement | null = null;
  for (const [name, messages] of Object.entries(errors.fields)) {
    const wrapper = form.querySelector<HTMLElement>(`[data-field="${CSS.escape(name)}"]`);
    const control = wrapper?.querySelector<HTMLElement>('input, select, textarea');
    const slot = wrapper?.querySelector('.field-error');
    if (slot) slot.textContent = messages.join('；');
    control?.setAttribute('aria-invalid', 'true');
    first ??= control ?? null;
  }
  const summary = form.querySelector('.form-errors');
  const general = Object.keys(errors.fields).length > 0 ? [t('form.fixErrors'), ...errors.general] : errors.general;
  if (summary) append(summary, general.map((message) => h('p', {}, message)));
  (first ?? (summary as HTMLElement | null))?.focus();
}

/** The form's error summary box (first child of every form). */
export function formErrorBox(): HTMLElement {
  return h('div', { class: 'form-errors', role: 'alert', tabindex: -1 });
}

/**
 * Runs `submit` on the form's submit event (button, or Enter in a field), with the button disabled
 * meanwhile; an ApiError's field errors go next to the fields, anything else above the form.
 */
export function onSubmit(form: HTMLFormElement, submit: (data: FormData) => Promise<void>, aliases: Record<string, string> = {}): void {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    const label = button?.textContent ?? '';
    if (button) {
      button.disabled = true;
      button.textContent = t('form.submitting');
    }
    clearFormErrors(form);
    submit(new FormData(form))
      .catch((error: unknown) => showFormErrors(form, errorsOf(error, fieldNames(form), aliases)))
      .finally(() => {
        if (button) {
          button.disabled = false;
          button.textContent = label;
        }
      });
  });
}

export function errorsOf(error: unknown, names: readonly string[], aliases: Record<string, string> = {}): FormErrors {
  if (error instanceof ApiError) return mapFieldErrors(error.problem, names, aliases);
  if (error instanceof FieldErrors) return error.errors;
  return { fields: {}, general: [problemSummary(parseProblem(0, null))] };
}

/** Thrown by a page's own checks (before calling the API) to show messages next to fields. */
export class FieldErrors extends Error {
  constructor(readonly errors: FormErrors) {
    super('invalid input');
  }
}

/** The panel shown instead of a section the caller's role may not see. */
export function notPermittedPanel(): HTMLElement {
  return h('div', { class: 'panel not-permitted', role: 'note', 'data-testid': 'not-permitted' }, h('h3', {}, t('error.forbidden')), h('p', {}, t('error.forbiddenDetail')));
}

/** A section's error instead of its content. */
export function errorPanel(error: unknown): HTMLElement {
  if (error instanceof ApiError && error.problem.status === 403) return notPermittedPanel();
  const problem = error instanceof ApiError ? error.problem : parseProblem(0, null);
  return h('div', { class: 'panel error', role: 'alert' }, problemSummary(problem));
}

export function formValue(data: FormData, name: string): string {
  const value = data.get(name);
  return typeof value === 'string' ? value.trim() : '';
}
