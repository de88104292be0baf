using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace MerchantPortal.Web.Tests.Infrastructure;

/// <summary>
/// What both golden-path tests (the browser one and the API-only one) do outside the portal's own screens: the shop's
/// export file, the carrier network's clock (the sandbox's admin endpoints over HTTP), and reading an order the way a
/// shop system would, polling until the carrier's scans have moved it.
/// </summary>
public static class GoldenPathSteps
{
    /// <summary>
    /// A portal of the test's own (it flips the automatic-waybill switch and moves the sandbox's clock by days) with a
    /// few fixture orders and no painted parcels, so nothing else moves while the test's orders do.
    /// </summary>
    public static PortalFactory OwnPortal() => new(overrides: new Dictionary<string, string?>
    {
        ["DemoData:Orders"] = "20",
        ["DemoData:Shipments"] = "0",
    });

    /// <summary>The SKU of every golden-path order: one line, two tea tins, so a return of one leaves one.</summary>
    public const string Sku = "GP-TEA-250";

    /// <summary>
    /// A shop's export in 简体中文 headers (UTF-8 with BOM, as Excel writes it): one line per order, all for one receiver
    /// (the orders list finds them by that name) in 杭州, the HZ01 warehouse's own province and the sandbox's calmest lane.
    /// </summary>
    public static byte[] ShopExport(IReadOnlyList<string> orderNos, string receiver)
    {
        var csv = new StringBuilder("订单编号,店铺,收货人,手机,省,市,区,详细地址,邮编,商家编码,商品名称,数量,单价,重量,付款时间,备注\r\n");
        for (var i = 0; i < orderNos.Count; i++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"{orderNos[i]},天猫,{receiver},1370000{1000 + i},浙江省,杭州市,西湖区,文三路 {90 + i} 号,310012,{Sku},西湖龙井 250g,2,128.00,0.6,2026-12-01 10:15:00,\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    /// <summary>Order numbers and a receiver name of this run's own.</summary>
    public static (IReadOnlyList<string> OrderNos, string Receiver) NewOrders(int count)
    {
        var run = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        return ([.. Enumerable.Range(1, count).Select(i => $"GP{run}-{i}")], "茶客" + run[..6]);
    }

    /// <summary>
    /// The carrier network moves on: the sandbox's clock jumps ahead and it pushes every subscribed parcel with new scans
    /// to the portal's receiver at once (admin/advance, admin/push-now?force=true; no API key, the sandbox's own routes).
    /// </summary>
    public static async Task AdvanceCarriersAsync(Uri portal, double hours)
    {
        using var sandbox = new HttpClient { BaseAddress = portal };
        (await sandbox.PostAsJsonAsync("/sandbox/kdniao/admin/advance", new { hours })).EnsureSuccessStatusCode();
        (await sandbox.PostAsync("/sandbox/kdniao/admin/push-now?force=true", null)).EnsureSuccessStatusCode();
    }

    public static async Task<JsonElement> OrderAsync(HttpClient api, string orderNo) =>
        await api.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{Uri.EscapeDataString(orderNo)}");

    public static string Status(JsonElement detail) => detail.GetProperty("order").GetProperty("status").GetString()!;

    /// <summary>The history rows that changed the order's status, oldest first, as (to, action, details).</summary>
    public static List<(string To, string Action, string Details)> Moves(JsonElement detail) =>
        [.. detail.GetProperty("history").EnumerateArray()
            .Where(h => h.GetProperty("toStatus").ValueKind == JsonValueKind.String)
            .Select(h => (h.GetProperty("toStatus").GetString()!, h.GetProperty("action").GetString()!, h.GetProperty("details").GetString() ?? ""))
            .Reverse()];

    /// <summary>Polls the orders until <paramref name="done"/> holds for their statuses; fails naming where each one is.</summary>
    public static async Task<Dictionary<string, JsonElement>> WaitForOrdersAsync(HttpClient api, IEnumerable<string> orderNos,
        Func<IReadOnlyCollection<string>, bool> done, string what, TimeSpan? timeout = null) =>
        await Waits.ForAsync(async () =>
            {
                var all = new Dictionary<string, JsonElement>();
                foreach (var orderNo in orderNos)
                {
                    all[orderNo] = await OrderAsync(api, orderNo);
                }
                return all;
            },
            all => done([.. all.Values.Select(Status)]),
            timeout ?? TimeSpan.FromSeconds(30),
            all => $"{what}; the orders are " + string.Join(", ", all.Select(o => $"{o.Key} {Status(o.Value)}")));
}
