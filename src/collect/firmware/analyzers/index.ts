// Every firmware analyzer. A new analyzer is one folder or file and one line here.
import { accountsAnalyzer } from "./accounts.js";
import type { Analyzer } from "./types.js";

export const ANALYZERS: readonly Analyzer[] = [accountsAnalyzer];
