using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Carriers;
using MerchantPortal.Web.Features.Admin.ApiKeys;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Returns;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Monitoring;

/// <summary>
/// "Start a reship" and "start a return" on a case create the real thing (a replacement order, a return) and link it;
/// both are idempotent per case. A rejected parcel (404) opens the case, on the simulated clock.
/// </summary>
public class CaseActionTests(ClockedPortalFixture fixture) : IClassFixture<ClockedPortalFixture>
{
    private ClockedPortal P => fixture.Portal;

    /// <summary>A shipped order (3 × SKU-R, 1 × SKU-S) whose parcel was just rejected: its open case.</summary>
    private async Task<(long CaseId, Order Order)> RejectedParcelCaseAsync(HttpClient api)
    {
        var orderNo = await ReturnTestData.ShippedOrderAsync(P, api);
        var s = await P.ShipmentAsync(x => x.Status = ShipmentStatus.InTransit);
        await using (var db = await P.DbAsync())
        {
            var orderId = await db.Set<Order>().Where(o => o.OrderNo == orderNo).Select(o => o.Id).SingleAsync();
            await db.Set<Features.Tracking.Shipment>().Where(x => x.Id == s.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.OrderId, orderId));
        }
        await P.TransitionAsync(s.Id, ShipmentStatus.Exception, "404");
        var c = Assert.Single(await P.CasesAsync(s.Id));
        Assert.Equal(ExceptionType.Rejected, c.Type);
        await using var read = await P.DbAsync();
        return (c.Id, await read.Set<Order>().AsNoTracking().Include(o => o.Lines).SingleAsync(o => o.OrderNo == orderNo));
    }

    [Fact]
    public async Task Start_a_reship_creates_one_replacement_order_per_case_that_Ops_approve_as_usual()
    {
        using var api = P.CreateApiClient();
        var (caseId, original) = await RejectedParcelCaseAsync(api);
        var service = P.GetService<ExceptionService>();

        var first = await service.StartReshipAsync(caseId, "customer refused a dented box", "ops@demo.local");
        var second = await service.StartReshipAsync(caseId, null, "ops@demo.local");

        Assert.Equal((CaseActionOutcome.Done, false), (first.Outcome, first.AlreadyStarted));
        Assert.Equal((CaseActionOutcome.Done, true, first.Id), (second.Outcome, second.AlreadyStarted, second.Id));
        Assert.Equal(original.OrderNo + "-R1", first.Number);
        await using (var db = await P.DbAsync())
        {
            var reship = await db.Set<Order>().AsNoTracking().Include(o => o.Lines).SingleAsync(o => o.Id == first.Id);
            Assert.Equal(1, await db.Set<Order>().CountAsync(o => o.ReshipOfOrderId == original.Id));
            Assert.Equal((OrderStatus.PendingReview, original.Id), (reship.Status, reship.ReshipOfOrderId));
            Assert.Equal((original.ReceiverName, original.ReceiverPhone, original.Province, original.City, original.District, original.AddressDetail),
                (reship.ReceiverName, reship.ReceiverPhone, reship.Province, reship.City, reship.District, reship.AddressDetail));
            Assert.Equal(original.Lines.OrderBy(l => l.LineNo).Select(l => (l.Sku, l.Quantity, l.UnitPrice)), reship.Lines.OrderBy(l => l.LineNo).Select(l => (l.Sku, l.Quantity, l.UnitPrice)));
            Assert.Contains("customer refused a dented box", reship.Remark, StringComparison.Ordinal);
            var c = await db.Set<ExceptionCase>().AsNoTracking().SingleAsync(x => x.Id == caseId);
            Assert.Equal((first.Id, true), (c.ReshipOrderId, c.ReshipRequested));
            Assert.Single(await db.Set<ExceptionCaseNote>().Where(n => n.CaseId == caseId && n.Kind == CaseNoteKind.ReshipRequested).ToListAsync());
            Assert.True(await db.Set<AuditEntry>().AnyAsync(a => a.Action == "exception.reshiprequested" && a.EntityId == caseId.ToString()));
            Assert.True(await db.Set<AuditEntry>().AnyAsync(a => a.Action == "orders.reship" && a.EntityId == first.Number));
        }
        var detail = await P.GetService<ExceptionQueries>().GetAsync(caseId);
        Assert.Equal(first.Number, detail!.ReshipOrder!.Number);

        var approved = Assert.Single(await P.GetService<OrderService>().ApplyAsync(OrderAction.Approve, [first.Number!], "ops@demo.local"));
        Assert.Equal((true, OrderStatus.Approved), (approved.Changed, approved.CurrentStatus));
    }

    [Fact]
    public async Task A_second_case_of_the_same_order_gets_the_next_reship_number()
    {
        using var api = P.CreateApiClient();
        var (caseId, original) = await RejectedParcelCaseAsync(api);
        var service = P.GetService<ExceptionService>();
        Assert.Equal(original.OrderNo + "-R1", (await service.StartReshipAsync(caseId, null, "ops")).Number);
        await service.ResolveAsync(caseId, "reshipped", "ops");

        var s = await P.ShipmentAsync(x => x.Status = ShipmentStatus.InTransit);
        await using (var db = await P.DbAsync())
        {
            await db.Set<Features.Tracking.Shipment>().Where(x => x.Id == s.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.OrderId, original.Id));
        }
        await P.TransitionAsync(s.Id, ShipmentStatus.Exception, "405");
        var other = Assert.Single(await P.CasesAsync(s.Id));

        Assert.Equal(original.OrderNo + "-R2", (await service.StartReshipAsync(other.Id, null, "ops")).Number);
        Assert.Equal(CaseActionOutcome.NotFound, (await service.StartReshipAsync(987654321, null, "ops")).Outcome);
    }

    [Fact]
    public async Task The_reship_API_answers_201_then_200_with_the_same_order_404_for_no_case_and_409_for_a_resolved_one()
    {
        using var api = P.CreateApiClient();
        var (caseId, original) = await RejectedParcelCaseAsync(api);

        var created = await api.PostAsJsonAsync($"/api/v1/exceptions/{caseId}/reship", new { note = "via API" });
        var again = await api.PostAsJsonAsync($"/api/v1/exceptions/{caseId}/reship", new { });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(original.OrderNo + "-R1", body.GetProperty("number").GetString());
        Assert.Equal($"/api/v1/orders/{original.OrderNo}-R1", created.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var againBody = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((body.GetProperty("id").GetInt64(), true), (againBody.GetProperty("id").GetInt64(), againBody.GetProperty("alreadyStarted").GetBoolean()));
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsJsonAsync("/api/v1/exceptions/987654321/reship", new { })).StatusCode);

        var (resolvedCase, _) = await RejectedParcelCaseAsync(api);
        (await api.PostAsJsonAsync($"/api/v1/exceptions/{resolvedCase}/resolve", new { resolution = "customer took it after all" })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsJsonAsync($"/api/v1/exceptions/{resolvedCase}/reship", new { })).StatusCode);
    }

    [Fact]
    public async Task Start_a_return_opens_a_real_return_linked_to_the_case_and_a_second_call_answers_the_same_return()
    {
        using var api = P.CreateApiClient();
        var (caseId, original) = await RejectedParcelCaseAsync(api);

        var created = await api.PostAsJsonAsync($"/api/v1/exceptions/{caseId}/return",
            new { lines = new[] { new { sku = "SKU-R", quantity = 3 }, new { sku = "SKU-S", quantity = 1 } }, reason = "Damaged", resolution = "Refund" });
        var again = await api.PostAsJsonAsync($"/api/v1/exceptions/{caseId}/return",
            new { lines = new[] { new { sku = "SKU-R", quantity = 1 } }, reason = "Damaged", resolution = "Refund" });

        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var returnId = body.GetProperty("id").GetInt64();
        Assert.StartsWith("RMA", body.GetProperty("number").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(returnId, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());

        var ret = await api.GetFromJsonAsync<JsonElement>($"/api/v1/returns/{returnId}");
        Assert.Equal(original.OrderNo, ret.GetProperty("orderNo").GetString());
        Assert.Equal(4, ret.GetProperty("lines").EnumerateArray().Sum(l => l.GetProperty("quantity").GetInt32()));
        await using var db = await P.DbAsync();
        Assert.Equal(1, await db.Set<ReturnRequest>().CountAsync(r => r.OrderId == original.Id));
        var c = await db.Set<ExceptionCase>().AsNoTracking().SingleAsync(x => x.Id == caseId);
        Assert.Equal((returnId, true), (c.StartedReturnId, c.ReturnRequested));
        var note = Assert.Single(await db.Set<ExceptionCaseNote>().Where(n => n.CaseId == caseId && n.Kind == CaseNoteKind.ReturnRequested).ToListAsync());
        Assert.Equal(body.GetProperty("number").GetString(), note.Text);
        Assert.True(await db.Set<AuditEntry>().AnyAsync(a => a.Action == "exception.returnrequested" && a.EntityId == caseId.ToString()));
        Assert.Equal(returnId, (await P.GetService<ExceptionQueries>().GetAsync(caseId))!.StartedReturn!.Id);
    }

    [Fact]
    public async Task Once_the_cases_return_is_cancelled_the_case_may_start_another()
    {
        using var api = P.CreateApiClient();
        var (caseId, _) = await RejectedParcelCaseAsync(api);
        var service = P.GetService<ExceptionService>();
        var first = await service.StartReturnAsync(caseId, [new NewReturnLine("SKU-R", 1)], ReturnReason.Damaged, null, ReturnResolution.Refund, "ops@demo.local");
        Assert.True((await P.GetService<ReturnService>().CancelAsync(first.Id!.Value, "cs@demo.local")).Ok);
        Assert.False((await P.GetService<ExceptionQueries>().GetAsync(caseId))!.StartedReturn!.Open);

        var second = await service.StartReturnAsync(caseId, [new NewReturnLine("SKU-R", 3)], ReturnReason.Damaged, null, ReturnResolution.Refund, "ops@demo.local");

        Assert.Equal((CaseActionOutcome.Done, false), (second.Outcome, second.AlreadyStarted));
        Assert.NotEqual(first.Id, second.Id);
        var link = (await P.GetService<ExceptionQueries>().GetAsync(caseId))!.StartedReturn!;
        Assert.Equal((second.Id!.Value, true), (link.Id, link.Open));
    }

    [Fact]
    public async Task Start_a_return_refuses_bad_lines_with_400_naming_the_field_and_creates_nothing()
    {
        using var api = P.CreateApiClient();
        var (caseId, original) = await RejectedParcelCaseAsync(api);

        async Task<string[]> FieldsAsync(object request)
        {
            var response = await api.PostAsJsonAsync($"/api/v1/exceptions/{caseId}/return", request);
            var errors = await ReturnTestData.ProblemAsync(response, HttpStatusCode.BadRequest);
            return [.. errors.EnumerateObject().Select(p => p.Name)];
        }

        Assert.Contains("lines[0].quantity", await FieldsAsync(new { lines = new[] { new { sku = "SKU-R", quantity = 4 } }, reason = "Damaged", resolution = "Refund" }));
        Assert.Contains("lines[0].sku", await FieldsAsync(new { lines = new[] { new { sku = "NOPE", quantity = 1 } }, reason = "Damaged", resolution = "Refund" }));
        Assert.Contains("lines", await FieldsAsync(new { lines = Array.Empty<object>(), reason = "Damaged", resolution = "Refund" }));
        Assert.Contains("reasonText", await FieldsAsync(new { lines = new[] { new { sku = "SKU-R", quantity = 1 } }, reason = "Other", resolution = "Refund" }));

        await using var db = await P.DbAsync();
        Assert.Equal(0, await db.Set<ReturnRequest>().CountAsync(r => r.OrderId == original.Id));
        Assert.Null((await db.Set<ExceptionCase>().AsNoTracking().SingleAsync(x => x.Id == caseId)).StartedReturnId);
    }

    [Fact]
    public async Task Start_a_return_needs_the_returns_write_scope_besides_exceptions_write()
    {
        using var api = P.CreateApiClient();
        var (caseId, _) = await RejectedParcelCaseAsync(api);
        var onlyCases = await P.GetService<ApiKeyService>().CreateAsync("cases only", [ApiScopes.ExceptionsWrite], "test");
        using var limited = P.CreateApiClient(onlyCases.Key);

        var refused = await limited.PostAsJsonAsync($"/api/v1/exceptions/{caseId}/return",
            new { lines = new[] { new { sku = "SKU-R", quantity = 1 } }, reason = "Damaged", resolution = "Refund" });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await limited.PostAsJsonAsync($"/api/v1/exceptions/{caseId}/reship", new { })).StatusCode);
    }
}
