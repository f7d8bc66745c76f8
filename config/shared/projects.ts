/** The Pulumi projects of this repository: each one's name is the namespace of its stack file's keys. */

/** The platform project's name: the namespace of every config key in `Pulumi.<stack>.yaml`. */
export const PROJECT_NAME = "secure-azureml";

/** The serving project's name: the namespace of every key in `serving/Pulumi.<stack>.yaml`. */
export const SERVING_PROJECT_NAME = "secure-azureml-serving";

/** Both projects, platform first. */
export const PROJECT_NAMES = [PROJECT_NAME, SERVING_PROJECT_NAME] as const;
