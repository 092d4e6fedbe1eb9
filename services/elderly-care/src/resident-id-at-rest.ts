/**
 * Resident IDs at rest (issue 8, migration 1764000062000): the service stores the keyed lookup
 * hash and the ciphertext of each number (PersonalDataCipher from @civil/platform), never the
 * number; what SQL needs from the number is kept beside them, like the birth date here.
 */

/** The birth date an 18-character resident ID carries (YYYY-MM-DD), or null when it has none that is a real date. */
export function birthDateInResidentId(residentId: string): string | null {
  const match = /^\d{6}(\d{4})(\d{2})(\d{2})\d{3}[\dXx]$/.exec(residentId.trim());
  if (!match) return null;
  const [, y, m, d] = match;
  const iso = `${y}-${m}-${d}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? null : iso;
}
