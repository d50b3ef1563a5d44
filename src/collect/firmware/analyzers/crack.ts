// crypt(3) hash schemes and the dictionary attack against default credentials.
// (Scheme verification is implemented per scheme in ../crypt/.)

/** The crypt scheme of a stored hash. */
export function hashScheme(hash: string): string {
  if (/^\$1\$/.test(hash)) return "md5";
  if (/^\$apr1\$/.test(hash)) return "apr1";
  if (/^\$5\$/.test(hash)) return "sha256";
  if (/^\$6\$/.test(hash)) return "sha512";
  if (/^\$2[abxy]?\$/.test(hash)) return "bcrypt";
  if (/^\$y\$/.test(hash)) return "yescrypt";
  if (/^\$7\$/.test(hash)) return "scrypt";
  if (/^\$gy\$/.test(hash)) return "gost-yescrypt";
  if (/^[./0-9A-Za-z]{13}$/.test(hash)) return "des";
  return "other";
}

/** The dictionary password that produces `hash`, if any. */
export function crackHash(_hash: string, _user: string): string | undefined {
  return undefined;
}
