using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Tests.Infrastructure;
using static MerchantPortal.Web.Tests.Infrastructure.GoldenPathSteps;
using static MerchantPortal.Web.Tests.Returns.ReturnTestData;

namespace MerchantPortal.Web.Tests.GoldenPath;

/// <summary>
/// The golden path as a shop system and the merchant's back office would drive it with an API key alone: import,
/// approve, automatic waybills, labels, the carrier's scans, a return with a door pickup, the refund, and the order
/// ending Returned with every move in its history naming its cause. The portal is its own: the test flips the
/// automatic-waybill switch and moves the sandbox's clock by days.
/// </summary>
public sealed class GoldenPathApiTests : IAsyncLifetime
{
    private readonly PortalFactory factory = OwnPortal();

    public async Task InitializeAsync()
    {
        factory.Start();
        // Refunds are paid through the in-process WeChat Pay sandbox: processing, then its signed notification.
        await MerchantPortal.Web.Setup.PaymentSandboxSetup.ConnectAsync(factory.Services, "test", CancellationToken.None);
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task An_imported_order_is_approved_waybilled_shipped_signed_returned_by_pickup_and_refunded_through_the_API_alone()
    {
        using var api = factory.CreateApiClient();
        var (orderNos, receiver) = NewOrders(3);

        // Admin: approval issues the waybill.
        (await api.PutAsJsonAsync("/api/v1/settings/auto-waybills", new { enabled = true })).EnsureSuccessStatusCode();

        // The shop's export, imported and finished by the import job.
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(ShopExport(orderNos, receiver));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "天猫订单导出.csv");
        var accepted = await ApiAnswers.JsonAsync(await api.PostAsync("/api/v1/order-imports", form), HttpStatusCode.Accepted);
        var import = await Waits.ForAsync(() => api.GetFromJsonAsync<JsonElement>($"/api/v1/order-imports/{accepted.GetProperty("id").GetInt64()}"),
            i => i.GetProperty("status").GetString() is "Completed" or "Failed", TimeSpan.FromSeconds(30), i => i.ToString());
        Assert.Equal(("Completed", 3, 0), (import.GetProperty("status").GetString(), import.GetProperty("importedOrders").GetInt32(), import.GetProperty("rejectedRows").GetInt32()));

        // Ops approve all three in one call; the automatic batch gives each its waybill.
        var approved = await ApiAnswers.JsonAsync(await api.PostAsJsonAsync("/api/v1/orders/actions", new { action = "Approve", orderNos }), HttpStatusCode.OK);
        Assert.Equal(3, approved.GetProperty("changed").GetInt32());
        var issued = await WaitForOrdersAsync(api, orderNos, s => s.All(x => x == "WaybillIssued"), "waybills from the automatic batch");
        var batches = await api.GetFromJsonAsync<JsonElement>("/api/v1/waybill-batches");
        var batch = batches.EnumerateArray().Single(b => b.GetProperty("source").GetString() == "auto");
        var batchId = batch.GetProperty("id").GetInt64();
        var items = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/waybill-batches/{batchId}")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(orderNos.Order(), items.Select(i => i.GetProperty("orderNo").GetString()).Order());
        var numbers = items.ToDictionary(i => i.GetProperty("orderNo").GetString()!, i => i.GetProperty("trackingNo").GetString()!);

        // The labels: one merged PDF.
        using var labels = await api.GetAsync($"/api/v1/waybill-batches/{batchId}/labels");
        Assert.Equal(HttpStatusCode.OK, labels.StatusCode);
        Assert.Equal("application/pdf", labels.Content.Headers.ContentType?.MediaType);
        Assert.Equal("%PDF"u8.ToArray(), (await labels.Content.ReadAsByteArrayAsync())[..4]);

        // The carrier picks them up (first scan 1–8 simulated hours after issue) and they ship; the dashboard counts them in transit.
        await AdvanceCarriersAsync(factory.BaseAddress, 10);
        await WaitForOrdersAsync(api, orderNos, s => s.All(x => x == "Shipped"), "the first scans");
        var shippedList = await api.GetFromJsonAsync<JsonElement>("/api/v1/orders?status=Shipped&limit=200");
        Assert.Superset(orderNos.ToHashSet(), shippedList.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("orderNo").GetString()!).ToHashSet());
        var dashboard = await api.GetFromJsonAsync<JsonElement>("/api/v1/dashboard");
        var inTransit = dashboard.EnumerateArray().Single(t => t.GetProperty("key").GetString() == "InTransit").GetProperty("count").GetInt64();
        Assert.True(inTransit >= orderNos.Count, $"In transit says {inTransit}");

        // Days later the parcels are signed for (the sandbox draws each fate; one signed order is all the path needs).
        await AdvanceCarriersAsync(factory.BaseAddress, 24 * 8);
        var signed = await WaitForOrdersAsync(api, orderNos, s => s.Contains("Delivered"), "a signed parcel");
        var orderNo = signed.First(o => Status(o.Value) == "Delivered").Key;

        // Customer service opens a return of one tin and books the courier at the customer's door (SF: the sandbox's
        // premium mix loses or refuses about one return parcel in 40 on this lane, the default account's one in 20).
        var returnId = await CreatedIdAsync(await CreateReturnAsync(api, orderNo, 1, Sku));
        var (start, end) = TomorrowMorning();
        var pickup = await ApiAnswers.JsonAsync(await api.PostAsJsonAsync($"/api/v1/returns/{returnId}/pickup", new { windowStart = start, windowEnd = end, carrierAccountId = await AccountAsync(factory, "SF") }), HttpStatusCode.Created);
        var returnNo = pickup.GetProperty("trackingNo").GetString()!;

        // The courier collects it and it reaches the warehouse; the refund is requested once the parcel is received and
        // succeeds when the payment sandbox confirms it.
        await AdvanceCarriersAsync(factory.BaseAddress, 24 * 8);
        var refunded = await Waits.ForAsync(() => api.GetFromJsonAsync<JsonElement>($"/api/v1/returns/{returnId}"),
            r => r.GetProperty("refunds").EnumerateArray().Any(f => f.GetProperty("status").GetString() == "Succeeded"),
            TimeSpan.FromSeconds(60), r => $"the refund; return {r.GetProperty("status")}, parcel {r.GetProperty("shipment")}, refunds {r.GetProperty("refunds")}");
        Assert.Equal("Collected", refunded.GetProperty("pickup").GetProperty("status").GetString());
        Assert.Equal("Delivered", refunded.GetProperty("shipment").GetProperty("status").GetString());
        var refund = Assert.Single(refunded.GetProperty("refunds").EnumerateArray());
        Assert.Equal(128.00m, refund.GetProperty("amount").GetDecimal());

        var returned = (await WaitForOrdersAsync(api, [orderNo], s => s.Single() == "Returned", "the order to read Returned"))[orderNo];
        // Every move names its cause: the import, the approval, the batch and its waybill, the scans that decided it.
        // (A parcel whose first delivery failed went Shipped → Exception → Shipped on the way; that detour is allowed.)
        var moves = Moves(returned);
        Assert.Equal(["PendingReview", "Approved", "WaybillIssued", "Shipped"], moves[..4].Select(m => m.To));
        Assert.Equal(["Delivered", "Returned"], moves[^2..].Select(m => m.To));
        Assert.Equal(("Imported", "Approve", "WaybillIssued"), (moves[0].Action, moves[1].Action, moves[2].Action));
        Assert.Contains($"{numbers[orderNo]} · #{batchId}", moves[2].Details, StringComparison.Ordinal);
        Assert.All(moves[3..], m => Assert.Equal("ParcelScanned", m.Action));
        // A push carries every scan since the last one: the row names the parcel, the newest scan and its Beijing time.
        Assert.Matches($@"^[A-Z]+ {numbers[orderNo]} · .+ · \d{{4}}-\d{{2}}-\d{{2}} \d{{2}}:\d{{2}}$", moves[3].Details);
        Assert.Matches($@"^[A-Z]+ {numbers[orderNo]} · .+签收.* · \d{{4}}-\d{{2}}-\d{{2}} \d{{2}}:\d{{2}}$", moves[^2].Details);
        Assert.Matches($@" {returnNo} · .+ · \d{{4}}-\d{{2}}-\d{{2}} \d{{2}}:\d{{2}}$", moves[^1].Details);

        // The same story the order page tells, for systems: the return, its pickup, its arrival and the refund are in it.
        var story = await api.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderNo}/story");
        var kinds = story.EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToHashSet();
        foreach (var kind in new[] { "Order.Imported", "Order.WaybillIssued", "Scan", "Order.ParcelScanned", "Return.Requested", "Pickup.Booked", "ReturnScan", "Return.Received", "Refund.Requested", "Return.Refunded" })
        {
            Assert.True(kinds.Contains(kind), $"The story has no {kind}: {string.Join(", ", kinds)}");
        }
    }
}
