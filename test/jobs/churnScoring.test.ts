import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * The churn scoring script (assets/code/churn-scoring/score.py) run for real by python3, with tiny
 * fake `mlflow`, `pandas`, `azureml.ai.monitoring` and `azureml_inference_server_http` packages first
 * on PYTHONPATH (so the result is the same whether or not the real ones are installed). The fakes
 * record every call in order, so the tests assert the collector names, that inputs are collected
 * before the prediction and outputs with the inputs' correlation context, that collection failures
 * never fail a request, and the exact responses. Needs a python3 (3.8+) on PATH; the suite is
 * skipped where there is none.
 */

const SCRIPT = resolve(__dirname, "../../assets/code/churn-scoring/score.py");
const PYTHON = spawnSync("python3", ["--version"]).status === 0;
const root = mkdtempSync(join(tmpdir(), "churn-scoring-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Fake modules: each call appends an event to fake_events.EVENTS; FAKE_* variables choose failures. */
const FAKES: Record<string, string> = {
  "fake_events.py": "EVENTS = []\n",
  "pandas/__init__.py": `
class DataFrame:
    def __init__(self, data=None, columns=None, index=None):
        if isinstance(data, dict):
            columns = list(data)
            data = [list(row) for row in zip(*data.values())]
        self.columns, self.data, self.index = list(columns), data, index

    def describe(self):
        return {"columns": self.columns, "data": self.data, "index": self.index}

    def to_dict(self, orient):
        assert orient == "records"
        return [dict(zip(self.columns, row)) for row in self.data]
`,
  "mlflow/__init__.py": "",
  "mlflow/pyfunc/__init__.py": `
import os
import pandas
from fake_events import EVENTS

class Array:
    def __init__(self, values):
        self.values = values

    def tolist(self):
        return list(self.values)

class Model:
    def predict(self, frame):
        EVENTS.append({"event": "predict", "frame": frame.describe()})
        scores = [round(row[0] / 100, 2) for row in frame.data]
        if os.environ.get("FAKE_PREDICT_FRAME"):
            return pandas.DataFrame({"churn": [s > 0.5 for s in scores], "score": scores})
        return Array(scores)

def load_model(path):
    EVENTS.append({"event": "load_model", "path": path})
    return Model()
`,
  "azureml/__init__.py": "",
  "azureml/ai/__init__.py": "",
  "azureml/ai/monitoring/__init__.py": `
import os
from fake_events import EVENTS

class Collector:
    def __init__(self, *, name, on_error=None):
        if os.environ.get("FAKE_COLLECTOR_START_FAILS"):
            raise RuntimeError("collector cannot start")
        EVENTS.append({"event": "collector", "name": name, "onError": callable(on_error)})
        self.name, self.on_error, self.count = name, on_error, 0

    def collect(self, data, correlation_context=None):
        EVENTS.append({"event": "collect", "name": self.name, "frame": data.describe(), "context": correlation_context})
        failure = os.environ.get("FAKE_COLLECT_FAILS", "")
        if failure == "raise":
            raise RuntimeError("storage unreachable")
        if failure == "on_error":
            self.on_error(RuntimeError("storage unreachable"))
            return None
        self.count += 1
        return f"context-{self.name}-{self.count}"
`,
  "azureml_inference_server_http/__init__.py": "",
  "azureml_inference_server_http/api/__init__.py": "",
  "azureml_inference_server_http/api/aml_response.py": `
class AMLResponse:
    def __init__(self, message, status_code, response_headers={}, json_str=False):
        self.message, self.status_code, self.json_str = message, status_code, json_str
`,
  "driver.py": `
import importlib.util, json, sys
from fake_events import EVENTS

spec = importlib.util.spec_from_file_location("score", sys.argv[1])
score = importlib.util.module_from_spec(spec)
spec.loader.exec_module(score)
try:
    score.init()
    result = score.run(sys.argv[2])
except Exception as error:
    print(json.dumps({"events": EVENTS, "error": str(error)}))
    sys.exit(0)
if type(result).__name__ == "AMLResponse":
    result = {"status": result.status_code, "jsonStr": result.json_str, "body": result.message}
print(json.dumps({"events": EVENTS, "result": result}))
`,
};

const fakes = join(root, "fakes");
for (const [path, content] of Object.entries(FAKES)) {
  mkdirSync(dirname(join(fakes, path)), { recursive: true });
  writeFileSync(join(fakes, path), content);
}

/** A registered MLflow model as the deployment mounts it: AZUREML_MODEL_DIR/<folder>/MLmodel. */
function modelDir(name: string, mlmodelFolders: string[]): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "README.txt"), "not a model");
  for (const folder of mlmodelFolders) {
    mkdirSync(join(dir, folder), { recursive: true });
    writeFileSync(join(dir, folder, "MLmodel"), "flavors:\n  python_function: {}\n");
  }
  return dir;
}

const MODEL_DIR = modelDir("azureml-models", ["churn-model"]);

type Event = Record<string, unknown>;
interface Outcome {
  events: Event[];
  result?: unknown;
  error?: string;
  stderr: string;
}

/** init() then run(body) in a fresh python3, with the fakes first on PYTHONPATH. */
function score(body: unknown, env: Record<string, string> = {}, modelDirectory = MODEL_DIR): Outcome {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const result = spawnSync("python3", [join(fakes, "driver.py"), SCRIPT, raw], {
    encoding: "utf8",
    env: {
      PATH: process.env.PATH ?? "",
      PYTHONPATH: fakes,
      PYTHONDONTWRITEBYTECODE: "1",
      AZUREML_MODEL_DIR: modelDirectory,
      ...env,
    },
  });
  if (result.status !== 0) throw new Error(`score.py driver failed: ${result.stderr}`);
  return { ...(JSON.parse(result.stdout) as Omit<Outcome, "stderr">), stderr: result.stderr };
}

const REQUEST = {
  input_data: {
    columns: ["tenure", "plan"],
    index: [7, 8],
    data: [
      [80, "A"],
      [20, "B"],
    ],
  },
};
const INPUTS = {
  columns: ["tenure", "plan"],
  data: [
    [80, "A"],
    [20, "B"],
  ],
  index: [7, 8],
};
const STARTUP: Event[] = [
  { event: "load_model", path: join(MODEL_DIR, "churn-model") },
  { event: "collector", name: "model_inputs", onError: true },
  { event: "collector", name: "model_outputs", onError: true },
];

describe.skipIf(!PYTHON)("churn-scoring score.py (run by python3; skipped when python3 is not on PATH)", () => {
  it("loads the MLflow model by its MLmodel file, collects inputs, predicts, then collects outputs with the inputs' context", () => {
    const { events, result } = score(REQUEST);
    expect(events).toEqual([
      ...STARTUP,
      { event: "collect", name: "model_inputs", frame: INPUTS, context: null },
      { event: "predict", frame: INPUTS },
      {
        event: "collect",
        name: "model_outputs",
        frame: { columns: ["prediction"], data: [[0.8], [0.2]], index: null },
        context: "context-model_inputs-1",
      },
    ]);
    expect(result).toEqual({ predictions: [0.8, 0.2] });
  });

  it("accepts MLflow's dataframe_split key and returns a DataFrame prediction as records, collected as is", () => {
    const { events, result } = score(
      { dataframe_split: { columns: ["tenure"], data: [[90]] } },
      { FAKE_PREDICT_FRAME: "1" },
    );
    expect(events.at(-1)).toEqual({
      event: "collect",
      name: "model_outputs",
      frame: { columns: ["churn", "score"], data: [[true, 0.9]], index: null },
      context: "context-model_inputs-1",
    });
    expect(result).toEqual({ predictions: [{ churn: true, score: 0.9 }] });
  });

  it("still scores when collect raises: the error is logged and outputs are collected without a context", () => {
    const { events, result, stderr } = score(REQUEST, { FAKE_COLLECT_FAILS: "raise" });
    expect(events.slice(3).map((e) => [e.event, e.name, e.context])).toEqual([
      ["collect", "model_inputs", null],
      ["predict", undefined, undefined],
      ["collect", "model_outputs", null],
    ]);
    expect(result).toEqual({ predictions: [0.8, 0.2] });
    expect(stderr).toContain("data collection model_inputs failed: the request is scored but not collected");
    expect(stderr).toContain("data collection model_outputs failed: the request is scored but not collected");
  });

  it("still scores when the collector reports a failure through on_error, and logs it", () => {
    const { result, stderr } = score(REQUEST, { FAKE_COLLECT_FAILS: "on_error" });
    expect(result).toEqual({ predictions: [0.8, 0.2] });
    expect(stderr).toContain("data collection model_inputs failed: storage unreachable");
    expect(stderr).toContain("data collection model_outputs failed: storage unreachable");
  });

  it("still scores when a collector cannot start, without collecting", () => {
    const { events, result, stderr } = score(REQUEST, { FAKE_COLLECTOR_START_FAILS: "1" });
    expect(events).toEqual([STARTUP[0], { event: "predict", frame: INPUTS }]);
    expect(result).toEqual({ predictions: [0.8, 0.2] });
    expect(stderr).toContain("data collector model_inputs could not start: requests are scored but not collected");
  });

  const EXPECTED =
    'expected a JSON object {"input_data": {"columns": [<names>], "data": [[<values>], ...], "index": [<optional>]}} (a pandas DataFrame in the split orientation)';
  it.each([
    ["not JSON", "tenure=80", "the request body is not JSON (Expecting value: line 1 column 1 (char 0)); " + EXPECTED],
    ["no input_data", { data: [[80]] }, "the request body has no input_data key; " + EXPECTED],
    [
      "a tensor payload",
      { input_data: [[80, 1]] },
      "input_data is a list, not an object with columns and data; " + EXPECTED,
    ],
    [
      "no columns",
      { input_data: { data: [[80]] } },
      "input_data.columns must be a non-empty list of column names; " + EXPECTED,
    ],
    [
      "no rows",
      { input_data: { columns: ["tenure"], data: [] } },
      "input_data.data must be a non-empty list of rows; " + EXPECTED,
    ],
    [
      "a short row",
      { input_data: { columns: ["tenure", "plan"], data: [[80, "A"], [20]] } },
      "input_data.data[1] must be a list of 2 values, one per column",
    ],
    [
      "a wrong index",
      { input_data: { columns: ["tenure"], data: [[80]], index: [1, 2] } },
      "input_data.index, when given, must be a list of 1 labels, one per row",
    ],
  ])("answers %s with HTTP 400 and a clear message, before collecting or predicting", (_case, body, message) => {
    const { events, result } = score(body);
    expect(result).toEqual({ status: 400, jsonStr: true, body: { message } });
    expect(events).toEqual(STARTUP);
  });

  it("fails init with a clear error when AZUREML_MODEL_DIR holds no MLflow model or several", () => {
    const none = modelDir("no-model", []);
    expect(score(REQUEST, {}, none).error).toBe(
      `AZUREML_MODEL_DIR ${none} holds no MLmodel file: the deployment's model must be one MLflow model (type mlflow_model)`,
    );
    const two = modelDir("two-models", ["a", "b"]);
    expect(score(REQUEST, {}, two).error).toBe(
      `AZUREML_MODEL_DIR ${two} holds 2 MLmodel files (${join(two, "a")}, ${join(two, "b")}): the deployment's model must be one MLflow model (type mlflow_model)`,
    );
  });
});
