/**
 * Words Azure refuses in the names of resources with an accessible endpoint (a public host name),
 * with error `ReservedResourceName`: "The resource name <name> or a part of the name is a
 * trademarked or reserved word". The name is checked when the resource is created, even when the
 * endpoint is not enabled.
 *
 * Source: Microsoft Learn, "Resolve errors for reserved resource names"
 * (https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-reserved-resource-name,
 * MicrosoftDocs/azure-docs articles/azure-resource-manager/troubleshooting/error-reserved-resource-name.md,
 * ms.date 04/05/2023), checked on 2026-12-04.
 */
export const RESERVED_NAME_SOURCE =
  'Microsoft Learn, "Resolve errors for reserved resource names" (checked 2026-12-04)' as const;

/** How the document restricts each group of words. */
export interface ReservedNameWords {
  /** "The following words are reserved": not usable as the name or as a word (a `-`-separated part) of it. */
  readonly reserved: readonly string[];
  /** "Can't be used as either a whole word or a substring in the name". */
  readonly substring: readonly string[];
  /** "Can't be used at the start of a resource name, but can be used later in the name". */
  readonly start: readonly string[];
}

export const RESERVED_NAME_WORDS: ReservedNameWords = {
  reserved: [
    "ACCESS",
    "APP_CODE",
    "APP_THEMES",
    "APP_DATA",
    "APP_GLOBALRESOURCES",
    "APP_LOCALRESOURCES",
    "APP_WEBREFERENCES",
    "APP_BROWSERS",
    "AZURE",
    "BING",
    "BIZSPARK",
    "BIZTALK",
    "CORTANA",
    "DIRECTX",
    "DOTNET",
    "DYNAMICS",
    "EXCEL",
    "EXCHANGE",
    "FOREFRONT",
    "GROOVE",
    "HOLOLENS",
    "HYPERV",
    "KINECT",
    "LYNC",
    "MSDN",
    "O365",
    "OFFICE",
    "OFFICE365",
    "ONEDRIVE",
    "ONENOTE",
    "OUTLOOK",
    "POWERPOINT",
    "SHAREPOINT",
    "SKYPE",
    "VISIO",
    "VISUALSTUDIO",
    "WEB.CONFIG",
    "XBOX",
  ],
  substring: ["MICROSOFT", "WINDOWS"],
  start: ["LOGIN"],
};

/** One reserved word a name uses, and the rule it breaks. */
export interface ReservedNameUse {
  readonly word: string;
  readonly rule: keyof ReservedNameWords;
}

/**
 * The reserved words a resource name uses, by the document's rules (case-insensitive): a reserved
 * word as the whole name or as one of its `-`-separated words (the error names "a part of the
 * name"), MICROSOFT or WINDOWS anywhere, LOGIN at the start.
 */
export function reservedWordsIn(name: string): ReservedNameUse[] {
  const upper = name.toUpperCase();
  const words = new Set([upper, ...upper.split("-")]);
  return [
    ...RESERVED_NAME_WORDS.reserved.filter((w) => words.has(w)).map((word) => ({ word, rule: "reserved" as const })),
    ...RESERVED_NAME_WORDS.substring
      .filter((w) => upper.includes(w))
      .map((word) => ({ word, rule: "substring" as const })),
    ...RESERVED_NAME_WORDS.start.filter((w) => upper.startsWith(w)).map((word) => ({ word, rule: "start" as const })),
  ];
}
