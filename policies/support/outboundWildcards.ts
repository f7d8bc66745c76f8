import { AZURE_MONITOR_PRIVATE_DNS_ZONES, CLOUDS, CLOUD_NAMES } from "secure-azureml-facts";

/**
 * Which FQDN outbound rule destinations of an Azure ML managed network are too broad to be an
 * approved outbound destination at all: `*`, a wildcard over a whole top-level domain, or a
 * wildcard over a shared Azure service domain, under which every customer's storage accounts,
 * key vaults, registries or workspaces have their host names (`*.blob.core.windows.net` reaches
 * every storage account in Azure, including an attacker's, so data leaves through it).
 *
 * Microsoft's answer for Azure resources is a private endpoint outbound rule to the one resource
 * ("Workspace managed network isolation", how-to-managed-network.md: FQDN rules cannot reach
 * storage accounts in approved-outbound mode; use private endpoint rules); third-party package
 * hosts (`*.anaconda.org`, `*.pytorch.org`, ...) are not shared Azure service domains and are
 * left to the approved-FQDN list of aml-workspace-approved-outbound-fqdns.
 */

/** A host name as Azure compares it: lower case, no surrounding space, no trailing dot. */
function normalised(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, "");
}

/** The registrable domain of a service domain: its last two labels (`blob.core.windows.net` -> `windows.net`). */
function registrableDomain(domain: string): string {
  return domain.split(".").slice(-2).join(".");
}

/**
 * Azure domains under which every customer gets host names, outside the private-link catalogue:
 * public IP DNS labels (`<label>.<region>.cloudapp.azure.com`), App Service (`*.azurewebsites.net`),
 * Cloud Services (`*.cloudapp.net`), Traffic Manager (`*.trafficmanager.net`), API Management
 * (`*.azure-api.net`) and Front Door (`*.azurefd.net`) endpoints. CDN domains (`azureedge.net`,
 * `msecnd.net`) are left out on purpose: Microsoft's Visual Studio Code scenario for managed
 * networks lists narrower wildcards below them (`*.vscodeexperiments.azureedge.net`, `*.vo.msecnd.net`).
 */
const OTHER_SHARED_AZURE_DOMAINS = [
  "azure.com",
  "azurewebsites.net",
  "cloudapp.net",
  "trafficmanager.net",
  "azure-api.net",
  "azurefd.net",
];

/**
 * The shared service domains of every cloud in the facts catalogue (secure-azureml-facts
 * `CLOUDS`): each service's private DNS zone without its `privatelink.` label (Azure ML API and
 * notebooks, storage blob/file/dfs/queue/table, Key Vault, Container Registry, and Azure Monitor's
 * `AZURE_MONITOR_PRIVATE_DNS_ZONES`: monitor, opinsights, azure-automation), the Key Vault and
 * storage DNS suffixes, and the registrable domain of each (`windows.net`, `azure.net`,
 * `azurecr.io`, `azureml.ms`, `usgovcloudapi.net`, `azure.us`, `chinacloudapi.cn`, `azure.cn`, ...),
 * plus {@link OTHER_SHARED_AZURE_DOMAINS}. Sorted, unique.
 */
export const SHARED_SERVICE_DOMAINS: readonly string[] = (() => {
  const services = CLOUD_NAMES.flatMap((name) => {
    const cloud = CLOUDS[name];
    return [
      ...[...Object.values(cloud.dnsZones), ...(AZURE_MONITOR_PRIVATE_DNS_ZONES[name] ?? [])].map((zone) =>
        zone.replace(/^privatelink\./, ""),
      ),
      cloud.keyVaultDnsSuffix,
      cloud.storageDnsSuffix,
    ];
  });
  const all = [...services, ...services.map(registrableDomain), ...OTHER_SHARED_AZURE_DOMAINS];
  return [...new Set(all.map(normalised))].sort();
})();

/** `base` equals `domain` or is a host below it. */
function atOrBelow(base: string, domain: string): boolean {
  return base === domain || base.endsWith(`.${domain}`);
}

/**
 * Why an FQDN rule destination is too broad, or undefined when it is not: `*` (every host), a
 * wildcard whose fixed part is a top-level domain (`*.com`), or a wildcard whose fixed part is, is
 * below, or is above one of `sharedDomains` (`*.blob.core.windows.net`,
 * `*.westeurope.data.azurecr.io`, `*.core.windows.net`, `*.net`). The fixed part is what follows
 * the last label holding a `*`. A destination without `*` names one host and is never too broad
 * here.
 */
export function broadWildcardReason(destination: string, sharedDomains: readonly string[]): string | undefined {
  const host = normalised(destination);
  if (!host.includes("*")) return undefined;
  const labels = host.split(".");
  const lastWild = labels.reduce((last, label, index) => (label.includes("*") ? index : last), -1);
  const base = labels.slice(lastWild + 1).join(".");
  if (base === "") return "it matches every host name";
  if (!base.includes(".")) return `it matches every host of the top-level domain .${base}`;
  // Longest first, so that `*.vault.azure.net` names vault.azure.net rather than azure.net.
  const shared = sharedDomains.map(normalised).sort((a, b) => b.length - a.length);
  const below = shared.find((domain) => atOrBelow(base, domain));
  if (below !== undefined)
    return `${base} is ${base === below ? "" : "below "}the shared service domain ${below}, where every customer's resources have host names`;
  const above = [...shared].reverse().find((domain) => atOrBelow(domain, base));
  if (above !== undefined)
    return `it covers the shared service domain ${above}, where every customer's resources have host names`;
  return undefined;
}
