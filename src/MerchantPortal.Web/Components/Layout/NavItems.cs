using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MudBlazor;

namespace MerchantPortal.Web.Components.Layout;

/// <param name="Badge">A component rendered beside the label (a count), or null.</param>
public sealed record NavItem(string Key, string Href, string Icon, string Policy, bool ForceLoad = false, Type? Badge = null);

/// <summary>
/// The navigation, filtered by the same policies that guard the pages (the server enforces them; the menu only
/// avoids showing links that would be refused). A feature adds its entry here when its page exists.
/// </summary>
public static class NavItems
{
    public static readonly IReadOnlyList<NavItem> Main =
    [
        new("Dashboard", "/", Icons.Material.Filled.Dashboard, Policies.SignedIn),
        new("Orders", "/orders", Icons.Material.Filled.Receipt, Policies.SignedIn),
        new("Lookup", "/lookup", Icons.Material.Filled.PersonSearch, Policies.SignedIn),
        new("Shipments", "/shipments", Icons.Material.Filled.LocalShipping, Policies.SignedIn),
        new("Returns", "/returns", Icons.Material.Filled.AssignmentReturn, Policies.SignedIn),
        new("Kpis", "/kpis", Icons.Material.Filled.Insights, Policies.Operations),
        new("Exceptions", "/exceptions", Icons.Material.Filled.ReportProblem, Policies.SignedIn, Badge: typeof(Features.Monitoring.ExceptionsNavBadge)),
        new("DeliveryLog", "/notifications/log", Icons.Material.Filled.Sms, Policies.Operations),
        new("Catalogue", "/catalogue", Icons.Material.Filled.Inventory2, Policies.Operations),
        new("Waybills", "/waybills", Icons.Material.Filled.ReceiptLong, Policies.Operations),
        new("Waves", "/waves", Icons.Material.Filled.Waves, Policies.Operations),
        new("Pack", "/pack", Icons.Material.Filled.QrCodeScanner, Policies.Operations),
        new("Handover", "/handover", Icons.Material.Filled.Handshake, Policies.Operations),
        new("HubAlerts", "/kpis/hub-alerts", Icons.Material.Filled.NotificationImportant, Policies.Operations),
        new("Freight", "/kpis/freight", Icons.Material.Filled.RequestQuote, Policies.Operations),
    ];

    /// <summary>
    /// An entry is active on its own pages and their sub-pages, except where another entry owns the sub-path
    /// (/kpis and /kpis/freight): then only the exact path, so one entry is highlighted at a time.
    /// </summary>
    public static Microsoft.AspNetCore.Components.Routing.NavLinkMatch MatchFor(NavItem item) =>
        item.Href == "/" || Main.Concat(Admin).Any(other => other != item && other.Href.StartsWith(item.Href + "/", StringComparison.Ordinal))
            ? Microsoft.AspNetCore.Components.Routing.NavLinkMatch.All
            : Microsoft.AspNetCore.Components.Routing.NavLinkMatch.Prefix;

    public static readonly IReadOnlyList<NavItem> Admin =
    [
        new("CarrierAccounts", "/admin/carrier-accounts", Icons.Material.Filled.LocalShipping, Policies.Admin),
        new("MonitoringRules", "/admin/monitoring-rules", Icons.Material.Filled.Rule, Policies.Admin),
        new("Notifications", "/admin/notifications", Icons.Material.Filled.Message, Policies.Admin),
        new("SmsProvider", "/notifications/settings", Icons.Material.Filled.Sms, Policies.Admin),
        new("Webhooks", "/admin/webhooks", Icons.Material.Filled.Webhook, Policies.Admin),
        new("Warehouses", "/admin/warehouses", Icons.Material.Filled.Warehouse, Policies.Admin),
        new("Shops", "/admin/shops", Icons.Material.Filled.Storefront, Policies.Admin),
        new("Printers", "/admin/printers", Icons.Material.Filled.Print, Policies.Admin),
        new("SlaRules", "/admin/sla-rules", Icons.Material.Filled.Timer, Policies.Admin),
        new("RateCards", "/admin/rate-cards", Icons.Material.Filled.PriceChange, Policies.Admin),
        new("Users", "/admin/users", Icons.Material.Filled.People, Policies.Admin),
        new("ApiKeys", "/admin/api-keys", Icons.Material.Filled.Key, Policies.Admin),
        new("Audit", "/admin/audit", Icons.Material.Filled.History, Policies.Admin),
        new("Settings", "/admin/settings", Icons.Material.Filled.Settings, Policies.Admin),
        new("Jobs", "/admin/jobs", Icons.Material.Filled.Schedule, Policies.Admin, ForceLoad: true),
        new("ApiDocs", "/api/docs", Icons.Material.Filled.Api, Policies.Admin, ForceLoad: true),
    ];
}
