// Every firmware analyzer. A new analyzer is one folder or file and one line here.
import { accountsAnalyzer } from "./accounts.js";
import { componentsAnalyzer } from "./components/index.js";
import { configHazardsAnalyzer } from "./config-hazards.js";
import { elfAnalyzer } from "./elf/index.js";
import { personalDataAnalyzer } from "./personal-data/index.js";
import { secretsAnalyzer } from "./secrets/index.js";
import { servicesAnalyzer } from "./services/index.js";
import type { Analyzer } from "./types.js";
import { updateHintsAnalyzer } from "./update-hints.js";

export const ANALYZERS: readonly Analyzer[] = [
  secretsAnalyzer,
  elfAnalyzer,
  accountsAnalyzer,
  componentsAnalyzer,
  servicesAnalyzer,
  configHazardsAnalyzer,
  updateHintsAnalyzer,
  personalDataAnalyzer,
];
