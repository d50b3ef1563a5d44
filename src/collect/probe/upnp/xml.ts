// A small, non-validating XML reader for UPnP descriptions and SOAP answers. It builds a tree of
// elements (local names, namespace prefixes dropped) with their text, decodes only the five
// predefined entities and character references, and never processes a DOCTYPE (so no entity
// expansion, no external fetches). Element count, depth and text size are capped; malformed
// input gives what could be read, not an exception.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const LIMITS = { elements: 5000, depth: 32, text: 4096 };

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,4});/gi, (all, e: string) => {
    if (e[0] === "#") {
      const cp = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : all;
    }
    return ENTITIES[e] ?? all;
  });
}

const local = (name: string) => name.slice(name.indexOf(":") + 1);

export function parseXml(src: string): XmlElement {
  const root: XmlElement = { name: "#document", attrs: {}, children: [], text: "" };
  const stack: XmlElement[] = [root];
  let count = 0;
  let i = 0;
  const addText = (t: string) => {
    const top = stack[stack.length - 1]!;
    if (top.text.length < LIMITS.text) top.text = (top.text + t).slice(0, LIMITS.text);
  };
  while (i < src.length) {
    const lt = src.indexOf("<", i);
    if (lt < 0) {
      addText(decodeEntities(src.slice(i)));
      break;
    }
    if (lt > i) addText(decodeEntities(src.slice(i, lt)));
    if (src.startsWith("<!--", lt)) {
      const e = src.indexOf("-->", lt + 4);
      i = e < 0 ? src.length : e + 3;
    } else if (src.startsWith("<![CDATA[", lt)) {
      const e = src.indexOf("]]>", lt + 9);
      addText(src.slice(lt + 9, e < 0 ? src.length : e));
      i = e < 0 ? src.length : e + 3;
    } else if (src.startsWith("<?", lt)) {
      const e = src.indexOf("?>", lt + 2);
      i = e < 0 ? src.length : e + 2;
    } else if (src.startsWith("<!", lt)) {
      // DOCTYPE and the like: skipped whole (an internal subset ends at "]>"), never interpreted.
      const bracket = src.indexOf("[", lt);
      const gt = src.indexOf(">", lt);
      const e = bracket >= 0 && (gt < 0 || bracket < gt) ? src.indexOf("]>", bracket) + 1 : gt;
      i = e <= 0 ? src.length : e + 1;
    } else if (src[lt + 1] === "/") {
      const gt = src.indexOf(">", lt);
      const name = local(src.slice(lt + 2, gt < 0 ? src.length : gt).trim());
      // Close the nearest open element of that name; an unmatched close tag is ignored.
      for (let d = stack.length - 1; d > 0; d--)
        if (stack[d]!.name === name) {
          stack.length = d;
          break;
        }
      i = gt < 0 ? src.length : gt + 1;
    } else {
      const m = /^<([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(
        src.slice(lt, lt + 4096),
      );
      if (!m) {
        addText("<");
        i = lt + 1;
        continue;
      }
      i = lt + m[0].length;
      if (++count > LIMITS.elements || stack.length > LIMITS.depth) break;
      const attrs: Record<string, string> = {};
      for (const a of m[2]!.matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g))
        attrs[local(a[1]!)] = decodeEntities(a[2] ?? a[3] ?? "");
      const el: XmlElement = { name: local(m[1]!), attrs, children: [], text: "" };
      stack[stack.length - 1]!.children.push(el);
      if (m[3] !== "/") stack.push(el);
    }
  }
  return root;
}

/** The first child element of that local name. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** Trimmed text of the first child of that name ("" when absent). */
export function childText(el: XmlElement | undefined, name: string): string {
  return child(el, name)?.text.trim() ?? "";
}

/** Every descendant of that name, depth first, bounded. */
export function descendants(el: XmlElement, name: string, max = 256): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    for (const c of e.children) {
      if (out.length >= max) return;
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}
