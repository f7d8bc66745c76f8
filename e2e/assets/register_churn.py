"""Real deploy test (npm run e2e): build a tiny churn classifier and save it as an MLflow model.

Runs as an Azure ML command job on the platform's CPU cluster, inside the managed network, in the
platform's churn-inference environment (scikit-learn, pandas, mlflow-skinny). The output folder is
uploaded to the workspace blob datastore when the job ends; the test registers it as churn:1.
"""

import argparse

import mlflow.sklearn
import numpy as np
import pandas as pd
from mlflow.models import infer_signature
from sklearn.linear_model import LogisticRegression

FEATURES = ["tenure_months", "monthly_charges", "support_calls"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--output", required=True, help="folder to save the MLflow model in (the job output)")
    args = parser.parse_args()

    rng = np.random.default_rng(7)
    features = pd.DataFrame(rng.normal(size=(200, len(FEATURES))), columns=FEATURES)
    labels = (features["support_calls"] - features["tenure_months"] > 0).astype(int)
    model = LogisticRegression().fit(features, labels)

    # MLflow 2.x accepts an existing empty folder, which is what the job output is.
    mlflow.sklearn.save_model(model, args.output, signature=infer_signature(features, model.predict(features)))
    print(f"saved an MLflow model to {args.output}, training accuracy {model.score(features, labels):.2f}")


if __name__ == "__main__":
    main()
