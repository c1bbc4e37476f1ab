/**
 * A tool's risk class from what the server tells about it: MCP annotations, the verb its
 * name starts with, the nouns in its name, and its description. Risk-raising signals win
 * over reassuring ones: a server's `readOnlyHint` does not clear a tool named delete_…,
 * and money nouns make a tool Financial whatever its verb (list_charges reads payments).
 */
import type { ToolInfo } from "../tape/tools.js";
import { type Classification, type RiskClass } from "./classes.js";
import { baseForms, leadingWords, nameWords } from "./tokens.js";
import { IRREVERSIBLE, MONEY_NOUNS, READ_NOUNS, VERBS } from "./words.js";

type VerbClass = keyof typeof VERBS;

const VERB_CLASS = new Map<string, VerbClass>();
for (const [cls, verbs] of Object.entries(VERBS) as [VerbClass, readonly string[]][]) {
  for (const v of verbs) VERB_CLASS.set(v, cls);
}
const MONEY = new Set(MONEY_NOUNS);
const READ_NOUN = new Set(READ_NOUNS);

interface Found<T> {
  word: string;
  index: number;
  value: T;
}

/** The first word (in any of its forms) that `lookup` knows. */
function first<T>(words: string[], lookup: (form: string) => T | undefined): Found<T> | undefined {
  for (const [index, word] of words.entries()) {
    for (const form of baseForms(word)) {
      const value = lookup(form);
      if (value !== undefined) return { word, index, value };
    }
  }
  return undefined;
}

export function classifyTool(tool: ToolInfo): Classification {
  const name = tool.name;
  const words = nameWords(name);
  const ann = tool.annotations ?? {};
  const verb = first(words, (w) => VERB_CLASS.get(w));
  const money = first(words, (w) => (MONEY.has(w) ? w : undefined));
  const said = (cls: RiskClass, reason: string): Classification => ({ class: cls, reason });

  if (verb?.value === "Destructive") return said("Destructive", verbReason(name, words, verb));
  if (money) return said("Financial", `name mentions ${money.word}`);
  if (ann.destructiveHint === true && ann.readOnlyHint !== true) return said("Destructive", "annotation destructiveHint: true");
  if (tool.description && IRREVERSIBLE.test(tool.description)) {
    return said("Destructive", `description says "${IRREVERSIBLE.exec(tool.description)![0]}"`);
  }
  if (ann.readOnlyHint === true) {
    const overruled = verb && verb.value !== "Read" ? `, over the name's "${verb.word}"` : "";
    return said("Read", `annotation readOnlyHint: true${overruled}`);
  }
  const action = verbOf(name, words, verb, tool.description);
  if (action?.class === "Read" && ann.readOnlyHint === false) {
    return said("Write", `annotation readOnlyHint: false, over the ${action.source}'s "${action.word}"`);
  }
  if (action) return said(action.class, action.reason);
  if (ann.readOnlyHint === false) return said("Write", "annotation readOnlyHint: false");
  const noun = first(words, (w) => (READ_NOUN.has(w) ? w : undefined));
  if (noun) return said("Read", `name names something read: ${noun.word}`);
  return said("Other", "no verb, money noun or annotation recognised");
}

/** What the name's verb says, or else the verbs the description starts with. */
function verbOf(name: string, words: string[], verb: Found<VerbClass> | undefined, description = "") {
  if (verb) return { class: verb.value, word: verb.word, source: "name", reason: verbReason(name, words, verb) };
  const described = riskiestLeadingVerb(description);
  if (!described) return undefined;
  return { class: described.value, word: described.word, source: "description", reason: `description starts with "${described.word}"` };
}

/** Riskiest first: a description that lists "read and delete" describes a Destructive tool. */
const RISK_ORDER: VerbClass[] = ["Destructive", "Execute", "Write", "Read"];

function riskiestLeadingVerb(description: string): Found<VerbClass> | undefined {
  const found = leadingWords(description)
    .map((word) => first([word], (w) => VERB_CLASS.get(w)))
    .filter((f): f is Found<VerbClass> => f !== undefined);
  return found.sort((a, b) => RISK_ORDER.indexOf(a.value) - RISK_ORDER.indexOf(b.value))[0];
}

/** `name starts with delete_`, or `name has the verb delete` when it is not the first word. */
function verbReason(name: string, words: string[], verb: Found<VerbClass>): string {
  if (verb.index === 0) {
    const lead = name.slice(0, verb.word.length);
    const sep = name.charAt(verb.word.length);
    return `name starts with ${lead}${sep === "_" || sep === "-" || sep === "." ? sep : ""}`;
  }
  return `name has the verb ${verb.word}${words.length > 1 ? ` (word ${verb.index + 1} of ${words.length})` : ""}`;
}
