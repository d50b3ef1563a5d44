// Port lists: the default IoT list, and "1-1024,8080" ranges.
import { ScopeError } from "./scope.js";

/** Ports IoT devices commonly expose: remote shells, web admin, cameras, MQTT, TR-069, UPnP, vendor services. */
export const DEFAULT_PORTS: readonly number[] = [
  21, 22, 23, 53, 80, 81, 443, 554, 1883, 1900, 2222, 2323, 4567, 5000, 5555, 7547, 8000, 8008, 8080, 8081,
  8443, 8554, 8883, 8888, 9000, 9100, 37777, 49152,
];

export const MAX_PORTS = 65535;

export function parsePorts(spec: string): number[] {
  const out = new Set<number>();
  for (const part of spec.split(",").map((p) => p.trim())) {
    if (part === "") continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new ScopeError(`"${part}" is not a port or range (expected e.g. 1-1024,8080)`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo < 1 || hi > 65535 || lo > hi)
      throw new ScopeError(`"${part}" is not a range of ports between 1 and 65535`);
    for (let p = lo; p <= hi; p++) out.add(p);
  }
  if (out.size === 0) throw new ScopeError(`"${spec}" names no ports`);
  return [...out].sort((a, b) => a - b);
}
