using System.Net;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MerchantPortal.Web.Tests.Security;

public enum Access
{
    Anonymous,
    SignedIn,
    Operations,
    Admin,
}

/// <summary>
/// R4: product.md's permission matrix, asserted for every page and every API endpoint the portal maps. A page or
/// endpoint added without a row here fails <see cref="Every_page_and_endpoint_has_a_rule"/>, so no new surface
/// ships without a decision about who may use it.
/// </summary>
[Collection(SharedPortal.Name)]
public class AccessMatrixTests(SharedPortal portal)
{
    /// <summary>Pages (Razor components) by route, and who may open them. Route parameters get sample values below.</summary>
    public static readonly IReadOnlyDictionary<string, Access> Pages = new Dictionary<string, Access>
    {
        ["/"] = Access.SignedIn,
        ["/not-found"] = Access.Anonymous,
        ["/Error"] = Access.Anonymous,
        ["/Account/Login"] = Access.Anonymous,
        ["/Account/Lockout"] = Access.Anonymous,
        ["/Account/AccessDenied"] = Access.Anonymous,
        ["/Account/InvalidUser"] = Access.Anonymous,
        ["/Account/LoginWith2fa"] = Access.Anonymous,
        ["/Account/LoginWithRecoveryCode"] = Access.Anonymous,
        ["/Account/AcceptInvite"] = Access.Anonymous,
        ["/Account/Manage"] = Access.SignedIn,
        ["/Account/Manage/ChangePassword"] = Access.SignedIn,
        ["/Account/Manage/TwoFactorAuthentication"] = Access.SignedIn,
        ["/Account/Manage/EnableAuthenticator"] = Access.SignedIn,
        ["/Account/Manage/Disable2fa"] = Access.SignedIn,
        ["/Account/Manage/GenerateRecoveryCodes"] = Access.SignedIn,
        ["/Account/Manage/ResetAuthenticator"] = Access.SignedIn,
        ["/admin/api-keys"] = Access.Admin,
        ["/admin/users"] = Access.Admin,
        ["/admin/audit"] = Access.Admin,
        ["/admin/carrier-accounts"] = Access.Admin,
        ["/orders"] = Access.SignedIn,
        ["/orders/{OrderNo}"] = Access.SignedIn,
        ["/orders/import"] = Access.Operations,
        ["/orders/merge"] = Access.Operations,
        ["/lookup"] = Access.SignedIn,
        ["/admin/warehouses"] = Access.Admin,
        ["/admin/shops"] = Access.Admin,
        ["/catalogue"] = Access.Operations,
        ["/admin/printers"] = Access.Admin,
        ["/waves"] = Access.Operations,
        ["/shipments"] = Access.SignedIn,
        ["/shipments/{TrackingNo}"] = Access.SignedIn,
        ["/track"] = Access.Anonymous,
        ["/admin/settings"] = Access.Admin,
        ["/returns"] = Access.SignedIn,
        ["/returns/{Id:long}"] = Access.SignedIn,
        ["/returns/refunds"] = Access.Operations,
        ["/kpis"] = Access.Operations,
        ["/admin/sla-rules"] = Access.Admin,
        ["/exceptions"] = Access.SignedIn,
        ["/exceptions/{Id:long}"] = Access.SignedIn,
        ["/admin/monitoring-rules"] = Access.Admin,
        ["/notifications/log"] = Access.Operations,
        ["/admin/notifications"] = Access.Admin,
        ["/admin/webhooks"] = Access.Admin,
        ["/notifications/settings"] = Access.Admin,
        ["/waybills"] = Access.Operations,
        ["/waybills/{Id:long}"] = Access.Operations,
        ["/waybills/handover"] = Access.Operations,
        ["/handover"] = Access.Operations,
        ["/pack"] = Access.Operations,
        ["/kpis/hub-alerts"] = Access.Operations,
        ["/kpis/freight"] = Access.Operations,
        ["/kpis/freight/bills/{Id:long}"] = Access.Operations,
        ["/admin/rate-cards"] = Access.Admin,
    };

    /// <summary>Browser endpoints outside /api/v1 (downloads behind the sign-in cookie) and who may use them.</summary>
    public static readonly IReadOnlyDictionary<string, Access> BrowserEndpoints = new Dictionary<string, Access>
    {
        ["/orders/export"] = Access.SignedIn,
        ["/orders/imports/{id:long}/errors.csv"] = Access.Operations,
        ["/catalogue/export"] = Access.Operations,
        ["/returns/{id:long}/photos/{photoId:long}"] = Access.SignedIn,
        ["/kpis/export.xlsx"] = Access.Operations,
        ["/kpis/freight/bills/{id:long}/discrepancies.xlsx"] = Access.Operations,
        ["/kpis/freight/bills/{id:long}/discrepancies.csv"] = Access.Operations,
        ["/waybills/batches/{id:long}/labels.pdf"] = Access.Operations,
        ["/waybills/batches/{id:long}/labels.zpl"] = Access.Operations,
        ["/waybills/batches/{id:long}/labels.tspl"] = Access.Operations,
        ["/waybills/{trackingNo}/label.pdf"] = Access.Operations,
        ["/waybills/handover.pdf"] = Access.Operations,
        ["/handover/{id:long}/list.pdf"] = Access.Operations,
        ["/admin/printers/{id:int}/test.pdf"] = Access.Admin,
        ["/waybills/batches/{id:long}/pick-list.pdf"] = Access.Operations,
        ["/waybills/batches/{id:long}/packing-slips.pdf"] = Access.Operations,
        ["/waybills/batches/{id:long}/labels-with-slips.pdf"] = Access.Operations,
        ["/orders/{orderNo}/packing-slip.pdf"] = Access.Operations,
    };

    /// <summary>API endpoints ("METHOD pattern") and the scope they need.</summary>
    public static readonly IReadOnlyDictionary<string, string> ApiEndpoints = new Dictionary<string, string>
    {
        ["GET /api/v1/dashboard"] = ApiScopes.OrdersRead,
        ["GET /api/v1/api-keys/"] = ApiScopes.Admin,
        ["POST /api/v1/api-keys/"] = ApiScopes.Admin,
        ["DELETE /api/v1/api-keys/{id:int}"] = ApiScopes.Admin,
        ["GET /api/v1/users/"] = ApiScopes.Admin,
        ["POST /api/v1/users/"] = ApiScopes.Admin,
        ["PUT /api/v1/users/{id}/role"] = ApiScopes.Admin,
        ["POST /api/v1/users/{id}/disable"] = ApiScopes.Admin,
        ["POST /api/v1/users/{id}/enable"] = ApiScopes.Admin,
        ["POST /api/v1/users/{id}/reset-2fa"] = ApiScopes.Admin,
        ["GET /api/v1/carrier-accounts/"] = ApiScopes.Admin,
        ["GET /api/v1/carrier-accounts/{id:int}"] = ApiScopes.Admin,
        ["POST /api/v1/carrier-accounts/"] = ApiScopes.Admin,
        ["PUT /api/v1/carrier-accounts/{id:int}"] = ApiScopes.Admin,
        ["POST /api/v1/carrier-accounts/{id:int}/disable"] = ApiScopes.Admin,
        ["POST /api/v1/carrier-accounts/{id:int}/enable"] = ApiScopes.Admin,
        ["POST /api/v1/carrier-accounts/{id:int}/test"] = ApiScopes.Admin,
        ["POST /api/v1/orders/"] = ApiScopes.OrdersWrite,
        ["GET /api/v1/orders/"] = ApiScopes.OrdersRead,
        ["GET /api/v1/orders/{orderNo}"] = ApiScopes.OrdersRead,
        ["GET /api/v1/orders/{orderNo}/story"] = ApiScopes.OrdersRead,
        ["POST /api/v1/orders/{orderNo}/approve"] = ApiScopes.OrdersWrite,
        ["POST /api/v1/orders/{orderNo}/hold"] = ApiScopes.OrdersWrite,
        ["POST /api/v1/orders/{orderNo}/cancel"] = ApiScopes.OrdersWrite,
        ["POST /api/v1/orders/actions"] = ApiScopes.OrdersWrite,
        ["GET /api/v1/orders/merge-suggestions"] = ApiScopes.OrdersRead,
        ["POST /api/v1/orders/merge"] = ApiScopes.OrdersWrite,
        ["POST /api/v1/orders/{orderNo}/unmerge"] = ApiScopes.OrdersWrite,
        ["POST /api/v1/orders/{orderNo}/split"] = ApiScopes.OrdersWrite,
        ["POST /api/v1/orders/{orderNo}/unsplit"] = ApiScopes.OrdersWrite,
        ["POST /api/v1/order-imports/"] = ApiScopes.OrdersWrite,
        ["GET /api/v1/order-imports/{id:long}"] = ApiScopes.OrdersRead,
        ["GET /api/v1/order-imports/{id:long}/mapping"] = ApiScopes.OrdersRead,
        ["GET /api/v1/order-imports/{id:long}/errors.csv"] = ApiScopes.OrdersRead,
        ["PUT /api/v1/order-imports/{id:long}/mapping"] = ApiScopes.OrdersWrite,
        ["POST /api/v1/order-imports/{id:long}/start"] = ApiScopes.OrdersWrite,
        ["GET /api/v1/import-templates/"] = ApiScopes.OrdersRead,
        ["POST /api/v1/import-templates/"] = ApiScopes.OrdersWrite,
        ["DELETE /api/v1/import-templates/{name}"] = ApiScopes.OrdersWrite,
        ["GET /api/v1/warehouses/"] = ApiScopes.OrdersRead,
        ["POST /api/v1/warehouses/"] = ApiScopes.Admin,
        ["PUT /api/v1/warehouses/{id:int}"] = ApiScopes.Admin,
        ["GET /api/v1/shops/"] = ApiScopes.OrdersRead,
        ["POST /api/v1/shops/"] = ApiScopes.Admin,
        ["PUT /api/v1/shops/{id:int}"] = ApiScopes.Admin,
        ["POST /api/v1/shops/{id:int}/deactivate"] = ApiScopes.Admin,
        ["GET /api/v1/catalogue/skus"] = ApiScopes.OrdersRead,
        ["GET /api/v1/catalogue/skus/{id:int}"] = ApiScopes.OrdersRead,
        ["POST /api/v1/catalogue/skus"] = ApiScopes.OrdersWrite,
        ["PUT /api/v1/catalogue/skus/{id:int}"] = ApiScopes.OrdersWrite,
        ["DELETE /api/v1/catalogue/skus/{id:int}"] = ApiScopes.OrdersWrite,
        ["POST /api/v1/catalogue/imports"] = ApiScopes.OrdersWrite,
        ["POST /api/v1/shipments/"] = ApiScopes.ShipmentsWrite,
        ["GET /api/v1/shipments/{trackingNo}"] = ApiScopes.ShipmentsRead,
        ["POST /api/v1/returns/"] = ApiScopes.ReturnsWrite,
        ["GET /api/v1/returns/{id:long}"] = ApiScopes.ReturnsRead,
        ["POST /api/v1/returns/{id:long}/pickup"] = ApiScopes.ReturnsWrite,
        ["DELETE /api/v1/returns/{id:long}/pickup"] = ApiScopes.ReturnsWrite,
        ["GET /api/v1/kpis/carriers"] = ApiScopes.KpisRead,
        ["GET /api/v1/kpis/lanes"] = ApiScopes.KpisRead,
        ["GET /api/v1/kpis/recommendation"] = ApiScopes.KpisRead,
        ["GET /api/v1/kpis/prediction-accuracy"] = ApiScopes.KpisRead,
        ["POST /api/v1/kpis/rebuild"] = ApiScopes.Admin,
        ["GET /api/v1/sla-rules/"] = ApiScopes.KpisRead,
        ["POST /api/v1/sla-rules/"] = ApiScopes.Admin,
        ["PUT /api/v1/sla-rules/{id:int}"] = ApiScopes.Admin,
        ["DELETE /api/v1/sla-rules/{id:int}"] = ApiScopes.Admin,
        ["GET /api/v1/kpis/hub-alerts"] = ApiScopes.KpisRead,
        ["GET /api/v1/kpis/hub-alerts/{id:long}/shipments"] = ApiScopes.KpisRead,
        ["GET /api/v1/freight/rate-cards"] = ApiScopes.KpisRead,
        ["PUT /api/v1/freight/rate-cards/{id:int}"] = ApiScopes.Admin,
        ["GET /api/v1/freight/expected-cost"] = ApiScopes.KpisRead,
        ["GET /api/v1/freight/bills"] = ApiScopes.KpisRead,
        ["GET /api/v1/freight/bills/{id:long}"] = ApiScopes.KpisRead,
        ["GET /api/v1/freight/bills/{id:long}/discrepancies"] = ApiScopes.KpisRead,
        ["POST /api/v1/freight/bill-imports"] = ApiScopes.FreightWrite,
        ["GET /api/v1/exceptions/"] = ApiScopes.ExceptionsRead,
        ["POST /api/v1/exceptions/{id:long}/resolve"] = ApiScopes.ExceptionsWrite,
        ["POST /api/v1/exceptions/{id:long}/comments"] = ApiScopes.ExceptionsWrite,
        ["POST /api/v1/exceptions/{id:long}/reship"] = ApiScopes.ExceptionsWrite,
        // "a+b": the endpoint needs both scopes (a key with only one of them is refused).
        ["POST /api/v1/exceptions/{id:long}/return"] = ApiScopes.ExceptionsWrite + "+" + ApiScopes.ReturnsWrite,
        ["GET /api/v1/webhook-subscriptions/"] = ApiScopes.Admin,
        ["POST /api/v1/webhook-subscriptions/"] = ApiScopes.Admin,
        ["PUT /api/v1/webhook-subscriptions/{id:int}"] = ApiScopes.Admin,
        ["DELETE /api/v1/webhook-subscriptions/{id:int}"] = ApiScopes.Admin,
        ["POST /api/v1/webhook-subscriptions/{id:int}/rotate-secret"] = ApiScopes.Admin,
        ["GET /api/v1/webhook-subscriptions/{id:int}/deliveries"] = ApiScopes.Admin,
        ["POST /api/v1/waybill-batches/"] = ApiScopes.WaybillsWrite,
        ["GET /api/v1/waybill-batches/{id:long}"] = ApiScopes.OrdersRead,
        ["GET /api/v1/waybill-batches/{id:long}/labels"] = ApiScopes.OrdersRead,
        ["POST /api/v1/waybill-batches/{id:long}/pause"] = ApiScopes.WaybillsWrite,
        ["POST /api/v1/waybill-batches/{id:long}/resume"] = ApiScopes.WaybillsWrite,
        ["POST /api/v1/waybill-batches/{id:long}/cancel"] = ApiScopes.WaybillsWrite,
        ["POST /api/v1/waybill-batches/{id:long}/retry"] = ApiScopes.WaybillsWrite,
        ["POST /api/v1/waybills/{trackingNo}/void"] = ApiScopes.WaybillsWrite,
        ["GET /api/v1/exceptions/{id:long}"] = ApiScopes.ExceptionsRead,
        ["POST /api/v1/exceptions/{id:long}/assign"] = ApiScopes.ExceptionsWrite,
        ["POST /api/v1/exceptions/{id:long}/carrier-contacts"] = ApiScopes.ExceptionsWrite,
        ["POST /api/v1/exceptions/{id:long}/notify-customer"] = ApiScopes.ExceptionsWrite,
        ["GET /api/v1/exceptions/counts"] = ApiScopes.ExceptionsRead,
        ["POST /api/v1/exceptions/bulk/assign"] = ApiScopes.ExceptionsWrite,
        ["POST /api/v1/exceptions/bulk/resolve"] = ApiScopes.ExceptionsWrite,
        ["GET /api/v1/monitoring-rules/"] = ApiScopes.Admin,
        ["POST /api/v1/monitoring-rules/"] = ApiScopes.Admin,
        ["PUT /api/v1/monitoring-rules/{id:int}"] = ApiScopes.Admin,
        ["DELETE /api/v1/monitoring-rules/{id:int}"] = ApiScopes.Admin,
        ["GET /api/v1/audit"] = ApiScopes.Admin,
        ["GET /api/v1/notification-templates/"] = ApiScopes.Admin,
        ["PUT /api/v1/notification-templates/{id:int}"] = ApiScopes.Admin,
        ["GET /api/v1/notifications/deliveries"] = ApiScopes.NotificationsRead,
        ["GET /api/v1/notifications/unsent"] = ApiScopes.NotificationsRead,
        ["GET /api/v1/notification-opt-outs/"] = ApiScopes.NotificationsRead,
        ["POST /api/v1/notification-opt-outs/"] = ApiScopes.NotificationsWrite,
        ["DELETE /api/v1/notification-opt-outs/{id:int}"] = ApiScopes.NotificationsWrite,
        ["PUT /api/v1/orders/{orderNo}/address"] = ApiScopes.OrdersWrite,
        ["PUT /api/v1/orders/{orderNo}/email"] = ApiScopes.OrdersWrite,
        ["POST /api/v1/returns/{id:long}/photos/"] = ApiScopes.ReturnsWrite,
        ["GET /api/v1/returns/{id:long}/photos/{photoId:long}"] = ApiScopes.ReturnsRead,
        ["GET /api/v1/settings/auto-waybills/"] = ApiScopes.Admin,
        ["GET /api/v1/settings/auto-merge/"] = ApiScopes.Admin,
        ["PUT /api/v1/settings/auto-waybills/"] = ApiScopes.Admin,
        ["PUT /api/v1/settings/auto-merge/"] = ApiScopes.Admin,
        ["GET /api/v1/settings/tracking-brand/"] = ApiScopes.Admin,
        ["PUT /api/v1/settings/tracking-brand/"] = ApiScopes.Admin,
        ["POST /api/v1/settings/tracking-brand/logo"] = ApiScopes.Admin,
        ["GET /api/v1/settings/return-rules/"] = ApiScopes.Admin,
        ["PUT /api/v1/settings/return-rules/"] = ApiScopes.Admin,
        ["GET /api/v1/shipments/"] = ApiScopes.ShipmentsRead,
        ["GET /api/v1/waybill-batches/"] = ApiScopes.OrdersRead,
        ["POST /api/v1/users/{id}/invitation"] = ApiScopes.Admin,
        ["GET /api/v1/waybills/handover"] = ApiScopes.OrdersRead,
        ["GET /api/v1/waybills/products"] = ApiScopes.OrdersRead,
        ["GET /api/v1/printers/"] = ApiScopes.OrdersRead,
        ["POST /api/v1/printers/"] = ApiScopes.Admin,
        ["PUT /api/v1/printers/{id:int}"] = ApiScopes.Admin,
        ["POST /api/v1/printers/{id:int}/test"] = ApiScopes.Admin,
        ["GET /api/v1/print-jobs/"] = ApiScopes.OrdersRead,
        ["POST /api/v1/print-jobs/retry"] = ApiScopes.WaybillsWrite,
        ["POST /api/v1/print-jobs/{id:long}/reprint"] = ApiScopes.WaybillsWrite,
        ["POST /api/v1/handovers/"] = ApiScopes.WaybillsWrite,
        ["GET /api/v1/handovers/"] = ApiScopes.OrdersRead,
        ["GET /api/v1/handovers/{id:long}"] = ApiScopes.OrdersRead,
        ["POST /api/v1/handovers/{id:long}/scans"] = ApiScopes.WaybillsWrite,
        ["POST /api/v1/handovers/{id:long}/close"] = ApiScopes.WaybillsWrite,
        ["GET /api/v1/handovers/{id:long}/list.pdf"] = ApiScopes.OrdersRead,
        ["GET /api/v1/waybill-batches/{id:long}/pick-list"] = ApiScopes.OrdersRead,
        ["GET /api/v1/waybill-batches/{id:long}/pick-list.pdf"] = ApiScopes.OrdersRead,
        ["GET /api/v1/waybill-batches/{id:long}/packing-slips.pdf"] = ApiScopes.OrdersRead,
        ["GET /api/v1/waybill-batches/{id:long}/labels-with-slips.pdf"] = ApiScopes.OrdersRead,
        ["GET /api/v1/packing-slips/{orderNo}"] = ApiScopes.OrdersRead,
        ["GET /api/v1/waves/"] = ApiScopes.OrdersRead,
        ["POST /api/v1/waves/"] = ApiScopes.WaybillsWrite,
        ["GET /api/v1/waves/{id:long}"] = ApiScopes.OrdersRead,
        ["GET /api/v1/pack/throughput"] = ApiScopes.OrdersRead,
        ["GET /api/v1/pack/{trackingNo}"] = ApiScopes.OrdersRead,
        ["POST /api/v1/pack/"] = ApiScopes.WaybillsWrite,
        ["GET /api/v1/lookup"] = ApiScopes.OrdersRead,
        ["GET /api/v1/returns/"] = ApiScopes.ReturnsRead,
        ["POST /api/v1/returns/{id:long}/approve"] = ApiScopes.ReturnsWrite,
        ["POST /api/v1/returns/{id:long}/reject"] = ApiScopes.ReturnsWrite,
        ["POST /api/v1/returns/{id:long}/cancel"] = ApiScopes.ReturnsWrite,
        ["GET /api/v1/refunds/"] = ApiScopes.ReturnsRead,
        ["POST /api/v1/refunds/{id:long}/result"] = ApiScopes.RefundsWrite,
        ["GET /api/v1/settings/refunds/"] = ApiScopes.Admin,
        ["PUT /api/v1/settings/refunds/"] = ApiScopes.Admin,
    };

    /// <summary>Non-page endpoints outside /api/v1 that are public on purpose, by pattern prefix.</summary>
    private static readonly string[] PublicPrefixes =
    [
        // MapStaticAssets' catch-all for files (only paths with a file extension reach it).
        "/{**path:file}",
        "/health/", "/culture", "/openapi/", "/api/docs", "/sandbox/kdniao", "/Account/Logout", "/Account/IdleSignOut", "/_blazor", "/_framework",
        // Kdniao's push callback: authenticated by DataSign, not by a user (carrier-protocol.md §2.5, R5).
        "/api/carriers/kdniao/push",
        // The in-process payment sandbox (Development) and WeChat Pay's refund notification: authenticated by its
        // Wechatpay-Signature with the platform key, not by a user (docs/payments-wechatpay.md §3).
        "/sandbox/wechatpay", "/api/payments/wechatpay/refund-notify",
        // The public tracking page's signed short link from messages and the merchant's logo shown on that page.
        "/t/", "/brand/logo/",
    ];

    private static readonly Dictionary<string, string> SampleValues = new()
    {
        // Ids that match no row: the "allowed" call must not revoke the demo key or disable a demo carrier
        // account in the shared portal that later tests use (404 is still "not refused").
        ["{id:int}"] = "987654",
        ["{id:long}"] = "987654",
        ["{Id:long}"] = "987654",
        ["{photoId:long}"] = "987654",
        ["{id}"] = "no-such-user",
        ["{orderNo}"] = "NO-SUCH-ORDER",
        ["{OrderNo}"] = "NO-SUCH-ORDER",
        ["{trackingNo}"] = "NO-SUCH-NUMBER",
        ["{TrackingNo}"] = "NO-SUCH-NUMBER",
        ["{Id:long}"] = "987654",
    };

    private IEnumerable<RouteEndpoint> Endpoints() =>
        portal.Factory.GetService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();

    private static string Pattern(RouteEndpoint e) => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/');

    [Fact]
    public void Every_page_and_endpoint_has_a_rule()
    {
        var missing = new List<string>();
        foreach (var endpoint in Endpoints())
        {
            var pattern = Pattern(endpoint);
            if (endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
            {
                if (!Pages.ContainsKey(pattern))
                {
                    missing.Add("page " + pattern);
                }
            }
            else if (pattern.StartsWith("/api/v1", StringComparison.Ordinal))
            {
                foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                {
                    if (!ApiEndpoints.ContainsKey($"{method} {pattern}"))
                    {
                        missing.Add($"api {method} {pattern}");
                    }
                }
            }
        }
        Assert.True(missing.Count == 0, "No access rule for: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_other_endpoint_is_an_asset_a_known_public_route_or_the_admin_only_job_dashboard()
    {
        var unexpected = Endpoints()
            .Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is null)
            .Select(Pattern)
            .Where(p => !p.StartsWith("/api/v1", StringComparison.Ordinal))
            .Where(p => !PublicPrefixes.Any(prefix => p.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            .Where(p => !p.StartsWith("/admin/jobs", StringComparison.Ordinal))
            .Where(p => !BrowserEndpoints.ContainsKey(p))
            // Static web assets (css, js, images, fonts) are served by MapStaticAssets under their file names.
            .Where(p => !System.Text.RegularExpressions.Regex.IsMatch(p, @"\.[a-z0-9]{2,5}(\.gz|\.br)?$", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
            .Distinct()
            .ToList();
        Assert.True(unexpected.Count == 0, "Endpoints without a rule: " + string.Join(", ", unexpected));
    }

    public static TheoryData<string, Access> PageRows()
    {
        var data = new TheoryData<string, Access>();
        foreach (var (route, access) in Pages)
        {
            data.Add(route, access);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PageRows))]
    public async Task Each_page_admits_exactly_the_roles_of_the_matrix(string route, Access access)
    {
        var path = Concrete(route);
        await AssertPage(path, null, access == Access.Anonymous);
        await AssertPage(path, "cs@demo.local", access is Access.Anonymous or Access.SignedIn);
        await AssertPage(path, "ops@demo.local", access is Access.Anonymous or Access.SignedIn or Access.Operations);
        await AssertPage(path, "admin@demo.local", true);
    }

    public static TheoryData<string, Access> BrowserEndpointRows()
    {
        var data = new TheoryData<string, Access>();
        foreach (var (route, access) in BrowserEndpoints)
        {
            data.Add(route, access);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BrowserEndpointRows))]
    public async Task Each_download_admits_exactly_the_roles_of_the_matrix(string route, Access access) =>
        await Each_page_admits_exactly_the_roles_of_the_matrix(route, access);

    [Fact]
    public async Task The_Hangfire_dashboard_is_for_Admin_only()
    {
        await AssertPage("/admin/jobs", null, false);
        await AssertPage("/admin/jobs", "cs@demo.local", false);
        await AssertPage("/admin/jobs", "ops@demo.local", false);
        await AssertPage("/admin/jobs", "admin@demo.local", true);
    }

    public static TheoryData<string, string> ApiRows()
    {
        var data = new TheoryData<string, string>();
        foreach (var (endpoint, scope) in ApiEndpoints)
        {
            data.Add(endpoint, scope);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ApiRows))]
    public async Task Each_API_endpoint_needs_a_key_and_its_scope(string endpoint, string scope)
    {
        var (method, route) = (endpoint.Split(' ')[0], endpoint.Split(' ')[1]);
        var path = Concrete(route);

        using var anonymous = portal.Factory.CreateApiClient(apiKey: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(Request(method, path))).StatusCode);

        var scopes = scope.Split('+');
        var other = ApiScopes.All.First(s => !scopes.Contains(s) && s != ApiScopes.Admin);
        var wrongKey = await portal.Factory.GetService<ApiKeyService>().CreateAsync("matrix without " + scope, [other], "test");
        using var wrong = portal.Factory.CreateApiClient(wrongKey.Key);
        Assert.Equal(HttpStatusCode.Forbidden, (await wrong.SendAsync(Request(method, path))).StatusCode);
        foreach (var partial in scopes.Length > 1 ? scopes : [])
        {
            // Each one alone is not enough.
            var partialKey = await portal.Factory.GetService<ApiKeyService>().CreateAsync("matrix with only " + partial, [partial], "test");
            using var partialClient = portal.Factory.CreateApiClient(partialKey.Key);
            Assert.Equal(HttpStatusCode.Forbidden, (await partialClient.SendAsync(Request(method, path))).StatusCode);
        }

        var rightKey = await portal.Factory.GetService<ApiKeyService>().CreateAsync("matrix with " + scope, scopes, "test");
        using var right = portal.Factory.CreateApiClient(rightKey.Key);
        var allowed = await right.SendAsync(Request(method, path));
        Assert.True(allowed.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"{endpoint} with scope {scope}: {(int)allowed.StatusCode}");
    }

    private static HttpRequestMessage Request(string method, string path) =>
        new(new HttpMethod(method), path)
        {
            Content = method is not ("POST" or "PUT") ? null
                // Upload endpoints only match multipart bodies; anything else never reaches authorization.
                : path.EndsWith("imports", StringComparison.Ordinal) || path.EndsWith("/photos", StringComparison.Ordinal) || path.EndsWith("/logo", StringComparison.Ordinal) ? new MultipartFormDataContent { { new StringContent("x"), "note" } }
                : new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
        };

    private static string Concrete(string route) =>
        SampleValues.Aggregate(route, (path, sample) => path.Replace(sample.Key, sample.Value, StringComparison.Ordinal)).TrimEnd('/') is { Length: > 0 } p ? p : "/";

    private async Task AssertPage(string path, string? email, bool allowed)
    {
        using var client = email is null ? portal.Factory.CreateBrowserLikeClient() : await PortalSession.SignInAsync(portal.Factory, email);
        var response = await client.GetAsync(path);
        var location = response.Headers.Location?.ToString() ?? "";
        var who = email ?? "anonymous";
        if (allowed)
        {
            // Some allowed pages redirect on their own (e.g. the 2FA login without a pending sign-in goes to the
            // login page); what matters is that the answer is not a refusal.
            var refused = response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized
                || location.Contains("/Account/AccessDenied", StringComparison.Ordinal)
                || (email is not null && location.Contains("/Account/Login?ReturnUrl", StringComparison.Ordinal));
            Assert.False(refused, $"{who} should open {path}: {(int)response.StatusCode} {location}");
        }
        else if (email is null)
        {
            Assert.True(response.StatusCode == HttpStatusCode.Redirect && location.Contains("/Account/Login", StringComparison.Ordinal),
                $"anonymous should be sent to the login page from {path}: {(int)response.StatusCode} {location}");
        }
        else
        {
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden || location.Contains("/Account/AccessDenied", StringComparison.Ordinal),
                $"{who} should be refused {path}: {(int)response.StatusCode} {location}");
        }
    }
}
