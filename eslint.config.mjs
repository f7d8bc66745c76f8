// ESLint flat config: typescript-eslint's strict type-checked rules plus Pulumi's own lint rules.
//
// Outputs in template literals: `${resource.id}` stringifies the Output object, not its value, so
// the resulting string silently contains a warning text instead of the id. Two layers catch it:
// - @pulumi/eslint-plugin (published by Pulumi): no-output-in-template-literal and
//   no-output-instance-in-template-literal flag Output<T> / OutputInstance<T> expressions in
//   untagged templates (the fix is pulumi.interpolate`...` or .apply()).
// - @typescript-eslint/restrict-template-expressions (type-aware) rejects every object-typed
//   expression in a template, which also covers pulumi.Input<string> (string | Promise | Output)
//   that the Pulumi rules do not see; restrict-plus-operands does the same for `"..." + output`.
import { URL, fileURLToPath } from "node:url";
import eslint from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

const projectRoot = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig(
  {
    ignores: ["**/node_modules/", "bin/", "coverage/", "out/", ".plan/", "**/*.js", "**/*.cjs"],
  },
  eslint.configs.recommended,
  {
    files: ["**/*.ts"],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: {
        // One TypeScript program per tsconfig (root and policies/).
        projectService: true,
        tsconfigRootDir: projectRoot,
      },
    },
    plugins: { "@pulumi": pulumi },
    rules: {
      "@pulumi/no-output-in-template-literal": "error",
      "@pulumi/no-output-instance-in-template-literal": "error",
      "@typescript-eslint/restrict-template-expressions": [
        "error",
        {
          allowNumber: true,
          allowBoolean: true,
          allowNullish: false,
          allowAny: false,
          allowRegExp: false,
          allowNever: false,
        },
      ],
      "@typescript-eslint/restrict-plus-operands": [
        "error",
        { allowAny: false, allowBoolean: false, allowNullish: false, allowNumberAndString: true, allowRegExp: false },
      ],
      "@typescript-eslint/no-base-to-string": "error",
      // `() => doSomething()` returning void is idiomatic in callbacks; still flagged elsewhere.
      "@typescript-eslint/no-confusing-void-expression": ["error", { ignoreArrowShorthand: true }],
      // Unused bindings prefixed with an underscore are deliberate (e.g. destructuring to drop a key).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" },
      ],
    },
  },
  {
    // Tests assert on loosely typed plan JSON; non-null assertions there read better than guards.
    files: ["test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    // Config files (eslint.config.mjs, vitest.config.mts): syntax rules only, no type information.
    files: ["**/*.mjs", "**/*.mts"],
    extends: [tseslint.configs.recommended],
  },
);
