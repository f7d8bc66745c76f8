/**
 * What Azure accepts in resource tags.
 *
 * Source: Microsoft Learn, "Use tags to organize your Azure resources and management hierarchy",
 * section Limitations (https://learn.microsoft.com/azure/azure-resource-manager/management/tag-resources,
 * MicrosoftDocs/azure-docs articles/azure-resource-manager/management/tag-resources.md), checked on
 * 2026-12-04: at most 50 tag name/value pairs per resource; tag names at most 512 characters (128
 * for storage accounts), values at most 256; names cannot contain `< > % & \ ? /`; "The following
 * Azure resources only support 15 tags: ... Azure Private DNS (Zone, A records, and virtual network
 * link)". Tag names are case-insensitive for operations.
 */
export const TAG_LIMITS_SOURCE =
  'Microsoft Learn, "Use tags to organize your Azure resources and management hierarchy", Limitations (checked 2026-12-04)' as const;

export const TAG_LIMITS = {
  /** Tag name/value pairs on one resource. */
  maxTagsPerResource: 50,
  /** Tag name/value pairs on a private DNS zone, its A records and its virtual network links. */
  maxTagsPerPrivateDnsResource: 15,
  /** Characters in a tag name (any resource but a storage account). */
  maxNameLength: 512,
  /** Characters in a tag name on a storage account. */
  maxStorageAccountNameLength: 128,
  /** Characters in a tag value. */
  maxValueLength: 256,
} as const;

/** Characters Azure does not accept in tag names. */
export const TAG_NAME_FORBIDDEN_CHARACTERS = /[<>%&\\?/]/;
