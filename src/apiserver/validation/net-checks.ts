// Address checks shared by Services, Endpoints and EndpointSlices (ValidateNonSpecialIP):
// unspecified, loopback and link-local addresses make no sense as endpoints or external IPs.

import type { FieldError } from '../../lib/field-errors.ts';
import { invalidValue } from '../../lib/field-errors.ts';
import { each, ipBytes, ipFamilyOf, portNameErrors, portNumErrors } from './names.ts';

/** Port protocols, sorted as upstream lists them in NotSupported errors. */
export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** An int port must be 1..65535; a string one an IANA_SVC_NAME (ValidatePortNumOrName). */
export function validatePortNumOrName(port: unknown, field: string): FieldError[] {
  if (typeof port === 'number') return each(field, port, portNumErrors(port));
  if (typeof port === 'string') return each(field, port, portNameErrors(port));
  return [invalidValue(field, port ?? null, 'must be an integer or an IANA_SVC_NAME')];
}


export function validateNonSpecialIP(ip: string, field: string): FieldError[] {
  const b = ipBytes(ip);
  if (!b) return [invalidValue(field, ip, 'must be a valid IP address')];
  const v4 = ipFamilyOf(ip) === 'IPv4' || (b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff);
  const errs: FieldError[] = [];
  if (v4) {
    const [a, c, d] = [b[12], b[13], b[14]];
    if (b.slice(12).every((x) => x === 0)) errs.push(invalidValue(field, ip, `may not be unspecified (${ip})`));
    if (a === 127) errs.push(invalidValue(field, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
    if (a === 169 && c === 254) errs.push(invalidValue(field, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
    if (a === 224 && c === 0 && d === 0) errs.push(invalidValue(field, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
    return errs;
  }
  if (b.every((x) => x === 0)) errs.push(invalidValue(field, ip, `may not be unspecified (${ip})`));
  if (b.slice(0, 15).every((x) => x === 0) && b[15] === 1) errs.push(invalidValue(field, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0x80) errs.push(invalidValue(field, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (b[0] === 0xff && (b[1] & 0x0f) === 0x02) errs.push(invalidValue(field, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}
