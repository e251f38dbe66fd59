import { MemoryEngine } from "../src/index.js";
import { engineContract } from "./helpers/engine-contract.js";

engineContract("memory", async (options) => new MemoryEngine({ log: () => undefined, ...options }), { propertyRuns: 300 });
