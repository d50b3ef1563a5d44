// MQTT 3.1.1 (OASIS, sections 3.1 and 3.2): the CONNECT packet the probe, the credential tester and
// the cloud audit send, and what each CONNACK return code means.

export const MQTT_RETURN_CODES: Record<number, string> = {
  0: "accepted",
  1: "unacceptable protocol version",
  2: "identifier rejected",
  3: "server unavailable",
  4: "bad user name or password",
  5: "not authorized",
};

/** A length-prefixed UTF-8 string or binary field. */
function field(s: string | Buffer): Buffer {
  const b = typeof s === "string" ? Buffer.from(s, "utf8") : s;
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
}

/** The remaining-length field: 7 bits per byte, high bit set while more follow. */
function remainingLength(n: number): Buffer {
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
}

/** CONNECT, protocol level 4, clean session, keep-alive 60 s; with a user name and password when given. */
export function mqttConnect(clientId: string, login?: { user: string; password: string }): Buffer {
  const flags = login ? 0xc2 : 0x02;
  const variable = Buffer.concat([field("MQTT"), Buffer.from([0x04, flags, 0x00, 0x3c])]);
  const payload = login
    ? Buffer.concat([field(clientId), field(login.user), field(login.password)])
    : field(clientId);
  const rest = Buffer.concat([variable, payload]);
  return Buffer.concat([Buffer.from([0x10]), remainingLength(rest.length), rest]);
}
