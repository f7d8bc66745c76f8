"""Scoring script for the churn online deployments: an MLflow model served with a scoring script
and an environment (the "custom" path), collecting model inputs and outputs for drift monitoring.

Why a scoring script: the deployments collect `model_inputs`/`model_outputs` (properties.dataCollector),
and "Each collection_name should correspond to the name of the Collector object used in the deployment
score.py" (Microsoft Learn, CLI (v2) managed online deployment YAML schema, data_collector). With a
scoring script, an MLflow model deployment must also name its environment ("If you choose to specify a
scoring script for an MLflow model deployment, you'll also have to specify the environment", Microsoft
Learn, "Deploy MLflow models to online endpoints", Customize MLflow model deployments).

Contract of the Azure ML inference server (azureml-inference-server-http): `init()` runs once when the
container starts; `run(raw_data)` gets the request body as a UTF-8 string; whatever `run` returns is sent
back as JSON, except a flask Response (AMLResponse), sent as is (microsoft/azureml-inference-server,
server/input_parsers.py JsonStringInput and server/routes.py handle_score/wrap_response).

Request: the Azure ML form of a JSON-serialised pandas DataFrame in the split orientation, under
"input_data" (Microsoft Learn, "Guidelines for deploying MLflow models", Input structure):
    {"input_data": {"columns": ["tenure", "plan"], "index": [0], "data": [[12, "A"]]}}
The MLflow 2 built-in server's key "dataframe_split" is accepted too, with the same content.
Response: {"predictions": [...]}, the shape of MLflow 2's scoring server and of the custom-script example in
"Deploy MLflow models to online endpoints" (a no-code deployment returns the bare list).
A malformed request gets HTTP 400 {"message": "..."}; collection failures never fail a request.
"""

import json
import logging
import os

import mlflow.pyfunc
import pandas as pd
from azureml.ai.monitoring import Collector
from azureml_inference_server_http.api.aml_response import AMLResponse

logger = logging.getLogger("churn-scoring")

# The data collector's collection names (properties.dataCollector.collections) and so the Collector
# names: model monitoring recognises these two and the drift job reads their folders.
INPUTS_COLLECTION = "model_inputs"
OUTPUTS_COLLECTION = "model_outputs"
# The column of the collected outputs when the model returns an array or a series.
PREDICTION_COLUMN = "prediction"
# Keys of a split-orientation DataFrame request: Azure ML's, then MLflow 2's built-in server's.
PAYLOAD_KEYS = ("input_data", "dataframe_split")
EXPECTED_PAYLOAD = 'a JSON object {"input_data": {"columns": [<names>], "data": [[<values>], ...], "index": [<optional>]}} (a pandas DataFrame in the split orientation)'

model = None
inputs_collector = None
outputs_collector = None


class PayloadError(ValueError):
    """A request body that is not a split-orientation DataFrame; answered with HTTP 400."""


# ------------------------------------------------------------------------------------------------
# Model
# ------------------------------------------------------------------------------------------------


def find_mlflow_model_dir(root):
    """The folder under AZUREML_MODEL_DIR that holds the MLflow model (its MLmodel file).

    AZUREML_MODEL_DIR is the registered model's folder; an MLflow model sits in the sub-folder named
    at registration, the one the studio's Artifacts tab shows (Microsoft's sample joins "model"). It is
    found here by its MLmodel file (MLflow's model descriptor) so the registration name does not matter.
    """
    found = sorted(folder for folder, _, files in os.walk(root) if "MLmodel" in files)
    if len(found) != 1:
        problem = "no MLmodel file" if not found else f"{len(found)} MLmodel files ({', '.join(found)})"
        raise RuntimeError(f"AZUREML_MODEL_DIR {root} holds {problem}: the deployment's model must be one MLflow model (type mlflow_model)")
    return found[0]


# ------------------------------------------------------------------------------------------------
# Data collection: custom logging with azureml-ai-monitoring (Microsoft Learn, "Collect production
# data from models deployed for real-time inferencing", Perform custom logging for model monitoring).
# Collector(name=..., on_error=...) and collect(data, correlation_context=None) -> correlation context;
# only pandas DataFrames are collected.
# ------------------------------------------------------------------------------------------------


def make_collector(name):
    """A Collector that logs its failures instead of raising (`on_error`), or None when it cannot start."""
    try:
        return Collector(name=name, on_error=lambda error: logger.error("data collection %s failed: %s", name, error))
    except Exception:  # noqa: BLE001 - collection must never stop the scoring service
        logger.exception("data collector %s could not start: requests are scored but not collected", name)
        return None


def collect(collector, name, frame, context=None):
    """Collect one DataFrame (or the DataFrame a callable builds, inside the same guard); the
    correlation context it returns, or None when collection failed."""
    if collector is None:
        return None
    try:
        return collector.collect(frame() if callable(frame) else frame, context)
    except Exception:  # noqa: BLE001 - collection must never fail a request
        logger.exception("data collection %s failed: the request is scored but not collected", name)
        return None


# ------------------------------------------------------------------------------------------------
# Request and response
# ------------------------------------------------------------------------------------------------


def parse_payload(raw_data):
    """The split-orientation frame of a request body: {"columns", "data", "index"}; PayloadError otherwise.

    Standard library only: no pandas needed to check a request.
    """
    if isinstance(raw_data, (bytes, bytearray)):
        raw_data = raw_data.decode("utf-8")
    try:
        body = json.loads(raw_data)
    except (TypeError, ValueError) as error:
        raise PayloadError(f"the request body is not JSON ({error}); expected {EXPECTED_PAYLOAD}") from None
    key = next((k for k in PAYLOAD_KEYS if isinstance(body, dict) and k in body), None)
    if key is None:
        raise PayloadError(f"the request body has no input_data key; expected {EXPECTED_PAYLOAD}")
    frame = body[key]
    if not isinstance(frame, dict):
        raise PayloadError(f"{key} is a {type(frame).__name__}, not an object with columns and data; expected {EXPECTED_PAYLOAD}")
    columns, data, index = frame.get("columns"), frame.get("data"), frame.get("index")
    if not isinstance(columns, list) or not columns or not all(isinstance(c, str) for c in columns):
        raise PayloadError(f"{key}.columns must be a non-empty list of column names; expected {EXPECTED_PAYLOAD}")
    if not isinstance(data, list) or not data:
        raise PayloadError(f"{key}.data must be a non-empty list of rows; expected {EXPECTED_PAYLOAD}")
    for number, row in enumerate(data):
        if not isinstance(row, list) or len(row) != len(columns):
            raise PayloadError(f"{key}.data[{number}] must be a list of {len(columns)} values, one per column")
    if index is not None and (not isinstance(index, list) or len(index) != len(data)):
        raise PayloadError(f"{key}.index, when given, must be a list of {len(data)} labels, one per row")
    return {"columns": columns, "data": data, "index": index}


def prediction_values(predictions):
    """JSON-ready predictions: records for a DataFrame, a list for an array or a series."""
    if hasattr(predictions, "columns"):
        return predictions.to_dict(orient="records")
    return predictions.tolist() if hasattr(predictions, "tolist") else list(predictions)


def outputs_frame(predictions, values):
    """The model outputs as a DataFrame, the only type the collector logs."""
    return predictions if hasattr(predictions, "columns") else pd.DataFrame({PREDICTION_COLUMN: values})


# ------------------------------------------------------------------------------------------------
# Entry points called by the inference server
# ------------------------------------------------------------------------------------------------


def init():
    global model, inputs_collector, outputs_collector
    model = mlflow.pyfunc.load_model(find_mlflow_model_dir(os.environ["AZUREML_MODEL_DIR"]))
    inputs_collector = make_collector(INPUTS_COLLECTION)
    outputs_collector = make_collector(OUTPUTS_COLLECTION)


def run(raw_data):
    try:
        frame = parse_payload(raw_data)
    except PayloadError as error:
        return AMLResponse({"message": str(error)}, 400, json_str=True)
    inputs = pd.DataFrame(data=frame["data"], columns=frame["columns"], index=frame["index"])
    # Inputs first: the context it returns correlates the outputs with these inputs.
    context = collect(inputs_collector, INPUTS_COLLECTION, inputs)
    predictions = model.predict(inputs)
    values = prediction_values(predictions)
    collect(outputs_collector, OUTPUTS_COLLECTION, lambda: outputs_frame(predictions, values), context)
    return {"predictions": values}
