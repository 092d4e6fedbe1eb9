/**
 * A resident ID as it travels in events and rests in services' tables (issue 8, architecture
 * rule 9): never the number itself, which would sit readable in every outbox row, every JetStream
 * message and reporting's event archive, but
 *   - `hash`: the keyed lookup hash (HMAC-SHA256 of the normalised number, 64 hex characters), so
 *     a consumer can match a person against its own records without ever holding the number, and
 *   - `enc`: the AES-256-GCM ciphertext (`v1.<base64url>`), for the consumers that must show the
 *     number when allowed or compute from it (a birth date).
 * Both are made with keys derived from PERSONAL_DATA_KEY, which every service holding resident IDs
 * shares (PersonalDataCipher in @civil/platform) and which lives only in the environment.
 */
export interface SealedResidentId {
  hash: string;
  enc: string;
}
