using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using MerchantPortal.PaymentSandbox;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Monitoring;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Returns;
using MerchantPortal.Web.Features.Returns.WeChatPay;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static MerchantPortal.Web.Tests.Returns.ReturnTestData;
using static MerchantPortal.Web.Tests.Tracking.TrackingTestData;

namespace MerchantPortal.Web.Tests.Returns;

/// <summary>A portal of its own: the refund method and the payment sandbox's behaviour are global to it.</summary>
public sealed class RefundPortal : IAsyncLifetime
{
    public PortalFactory Factory { get; } = new();

    public Task InitializeAsync()
    {
        Factory.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

/// <summary>
/// Refunds become final only on a confirmation (R10): against the in-process WeChat Pay sandbox over real HTTP
/// (answers, signed and encrypted notifications, the query job) and from the merchant system's endpoint.
/// </summary>
public class RefundOutcomeTests(RefundPortal portal) : IClassFixture<RefundPortal>
{
    private PortalFactory Factory => portal.Factory;

    [Fact]
    public async Task Without_a_refund_method_no_return_is_refunded_nobody_is_told_and_the_page_says_why()
    {
        await SetMethodAsync(RefundMethod.None);
        var returnId = await DecidedRefundAsync();

        await RunRefundJobAsync(returnId);

        var (refund, ret, messages) = await StateAsync(returnId);
        Assert.Equal(RefundStatus.Requested, refund.Status);
        Assert.NotEqual(ReturnStatus.Refunded, ret.Status);
        Assert.Equal(0, messages);
        using var api = Factory.CreateApiClient();
        var body = await api.GetFromJsonAsync<JsonElement>($"/api/v1/returns/{returnId}");
        Assert.Equal("NotConfigured", body.GetProperty("refunds")[0].GetProperty("waiting").GetString());

        using var browser = await PortalSession.SignInAsync(Factory, "ops@demo.local");
        var chinese = System.Net.WebUtility.HtmlDecode(await browser.GetStringAsync($"/returns/{returnId}"));
        Assert.True(chinese.Contains("退款渠道未配置", StringComparison.Ordinal), chinese.Contains("refund-waiting", StringComparison.Ordinal) ? "waiting shown, other text" : chinese[..Math.Min(chinese.Length, 200)] + " … " + (chinese.Contains("return-refund", StringComparison.Ordinal) ? "refund rendered" : "no refund section"));
        (await browser.GetAsync("/culture?culture=en&redirectUri=%2F")).Dispose();
        var english = System.Net.WebUtility.HtmlDecode(await browser.GetStringAsync($"/returns/{returnId}"));
        Assert.Contains("No refund method is configured", english);
    }

    [Fact]
    public async Task A_refund_WeChat_Pay_answers_with_success_is_final_at_once_with_its_refund_id()
    {
        await ConnectSandboxAsync(SandboxRefundOutcome.Success);
        var returnId = await DecidedRefundAsync();

        await RunRefundJobAsync(returnId);

        var (refund, ret, messages) = await StateAsync(returnId);
        Assert.Equal((RefundStatus.Succeeded, RefundMethod.WeChatPay, "return-" + returnId), (refund.Status, refund.Method, refund.OutRefundNo));
        Assert.StartsWith("5030", refund.Reference);
        Assert.Equal(ReturnStatus.Refunded, ret.Status);
        Assert.Equal(1, messages);
    }

    [Fact]
    public async Task A_processing_refund_succeeds_when_the_signed_notification_arrives()
    {
        await ConnectSandboxAsync(SandboxRefundOutcome.ProcessingThenSuccess);
        var returnId = await DecidedRefundAsync();

        await RunRefundJobAsync(returnId);
        var (pending, retPending, _) = await StateAsync(returnId);
        Assert.Equal(RefundStatus.Pending, pending.Status);
        Assert.NotEqual(ReturnStatus.Refunded, retPending.Status);

        var (refund, ret, messages) = await WaitForAsync(() => StateAsync(returnId), s => s.Refund.Status != RefundStatus.Pending, TimeSpan.FromSeconds(30));
        Assert.Equal(RefundStatus.Succeeded, refund.Status);
        Assert.Equal(ReturnStatus.Refunded, ret.Status);
        Assert.Equal(1, messages);
        Assert.Equal(1, await SandboxRefundsAsync(returnId));
    }

    [Fact]
    public async Task A_refund_WeChat_Pay_reports_abnormal_fails_and_opens_a_case_with_the_reason()
    {
        await ConnectSandboxAsync(SandboxRefundOutcome.ProcessingThenAbnormal);
        var returnId = await DecidedRefundAsync();

        await RunRefundJobAsync(returnId);
        var (refund, ret, messages) = await WaitForAsync(() => StateAsync(returnId), s => s.Refund.Status != RefundStatus.Pending, TimeSpan.FromSeconds(30));

        Assert.Equal(RefundStatus.Failed, refund.Status);
        Assert.Contains("ABNORMAL", refund.FailureReason);
        Assert.NotEqual(ReturnStatus.Refunded, ret.Status);
        Assert.Equal(0, messages);
        await using var db = await Db();
        var c = await db.Set<ExceptionCase>().Include(x => x.Notes).SingleAsync(x => x.ReturnId == returnId && x.Type == ExceptionType.RefundFailed);
        Assert.Contains(c.Notes, n => n.Text != null && n.Text.Contains("ABNORMAL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_lost_notification_is_recovered_by_the_query_job()
    {
        await ConnectSandboxAsync(SandboxRefundOutcome.ProcessingThenSuccess, loseNotifications: 1);
        var returnId = await DecidedRefundAsync();

        await RunRefundJobAsync(returnId);
        var sandbox = Factory.GetService<WeChatPaySandbox>();
        await WaitForAsync(() => Task.FromResult(sandbox.Find(PaymentSandboxSetup.DemoMchId, "return-" + returnId)?.Status), s => s == "SUCCESS", TimeSpan.FromSeconds(30));
        await WaitForAsync(() => Task.FromResult(Interlocked.Read(ref sandbox.NotificationsLost)), n => n >= 1, TimeSpan.FromSeconds(30));
        Assert.Equal(RefundStatus.Pending, (await StateAsync(returnId)).Refund.Status);

        var refundId = (await StateAsync(returnId)).Refund.Id;
        await Factory.GetService<RefundQueryJob>().RunAsync(refundId, CancellationToken.None);
        await Factory.GetService<RefundQueryJob>().RunAsync(refundId, CancellationToken.None);

        var (refund, ret, messages) = await StateAsync(returnId);
        Assert.Equal((RefundStatus.Succeeded, ReturnStatus.Refunded, 1), (refund.Status, ret.Status, messages));
        Assert.Equal(1, await SandboxRefundsAsync(returnId));
    }

    [Fact]
    public async Task A_duplicate_notification_changes_nothing()
    {
        await ConnectSandboxAsync(SandboxRefundOutcome.ProcessingThenSuccess);
        var returnId = await DecidedRefundAsync();
        await RunRefundJobAsync(returnId);
        await WaitForAsync(() => StateAsync(returnId), s => s.Refund.Status == RefundStatus.Succeeded, TimeSpan.FromSeconds(30));

        using var admin = Factory.CreateApiClient(apiKey: null);
        var again = await admin.PostAsync($"/sandbox/wechatpay/admin/notify/{PaymentSandboxSetup.DemoMchId}/return-{returnId}", null);
        Assert.Equal(204, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("portalStatus").GetInt32());

        var (refund, ret, messages) = await StateAsync(returnId);
        Assert.Equal((RefundStatus.Succeeded, ReturnStatus.Refunded, 1), (refund.Status, ret.Status, messages));
        await using var db = await Db();
        Assert.Equal(1, await db.Set<Refund>().CountAsync(r => r.ReturnId == returnId));
    }

    [Fact]
    public async Task The_portal_refuses_a_wrongly_signed_answer_and_notification()
    {
        await ConnectSandboxAsync(SandboxRefundOutcome.Success);
        // The portal now trusts another key under the sandbox's key id: the sandbox's signatures no longer verify.
        var settings = Factory.GetService<RefundSettings>();
        var view = await settings.ViewAsync();
        using var stranger = RSA.Create(2048);
        await settings.SetAsync(RefundMethod.WeChatPay, view.WeChatPay! with { PlatformPublicKeyPem = stranger.ExportSubjectPublicKeyInfoPem() }, null, null, "test", CancellationToken.None);
        var returnId = await DecidedRefundAsync();

        await Assert.ThrowsAsync<WeChatPaySignatureException>(() => Factory.GetService<RefundJob>().RunAsync(returnId, CancellationToken.None));
        var (refund, ret, messages) = await StateAsync(returnId);
        Assert.Equal(RefundStatus.Pending, refund.Status);
        Assert.Contains("not trusted", refund.LastError);
        Assert.NotEqual(ReturnStatus.Refunded, ret.Status);
        Assert.Equal(0, messages);

        // A notification the sandbox signed (with its real key) is refused too, with the documented failure body.
        using var admin = Factory.CreateApiClient(apiKey: null);
        var sent = await admin.PostAsync($"/sandbox/wechatpay/admin/notify/{PaymentSandboxSetup.DemoMchId}/return-{returnId}", null);
        Assert.Equal(401, (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("portalStatus").GetInt32());
        using var forged = Factory.CreateApiClient(apiKey: null);
        var forgedAnswer = await forged.PostAsync(RefundEndpoints.NotifyRoute, new StringContent("{\"id\":\"EV-1\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, forgedAnswer.StatusCode);
        Assert.Equal("FAIL", (await forgedAnswer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(RefundStatus.Pending, (await StateAsync(returnId)).Refund.Status);
    }

    [Fact]
    public async Task The_merchant_systems_confirmation_is_idempotent_and_a_final_result_never_changes()
    {
        await SetMethodAsync(RefundMethod.MerchantSystem);
        var returnId = await DecidedRefundAsync();
        await RunRefundJobAsync(returnId);
        var refundId = (await StateAsync(returnId)).Refund.Id;
        await using (var db = await Db())
        {
            var webhook = await db.Set<OutboxMessage>().SingleAsync(m => m.ReturnId == returnId && m.EventType == "refund.requested");
            Assert.Contains($"\"refundId\":{refundId}", webhook.PayloadJson, StringComparison.Ordinal);
        }
        Assert.Equal(RefundStatus.Pending, (await StateAsync(returnId)).Refund.Status);

        using var api = Factory.CreateApiClient();
        var first = await api.PostAsJsonAsync($"/api/v1/refunds/{refundId}/result", new { status = "Succeeded", reference = "PAY-778899" });
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.True(first.StatusCode == HttpStatusCode.OK, firstBody);
        var second = await api.PostAsJsonAsync($"/api/v1/refunds/{refundId}/result", new { status = "Succeeded", reference = "PAY-778899" });
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(firstBody, await second.Content.ReadAsStringAsync());
        var other = await api.PostAsJsonAsync($"/api/v1/refunds/{refundId}/result", new { status = "Failed", reason = "card closed" });
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);

        var (refund, ret, messages) = await StateAsync(returnId);
        Assert.Equal((RefundStatus.Succeeded, "PAY-778899", ReturnStatus.Refunded, 1), (refund.Status, refund.Reference, ret.Status, messages));
        var listed = await api.GetFromJsonAsync<JsonElement>("/api/v1/refunds?status=Succeeded");
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), r => r.GetProperty("id").GetInt64() == refundId && r.GetProperty("reference").GetString() == "PAY-778899");
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private Task<PortalDbContext> Db() => Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    private Task SetMethodAsync(RefundMethod method) =>
        Factory.GetService<RefundSettings>().SetAsync(method, null, null, null, "test", CancellationToken.None);

    private async Task ConnectSandboxAsync(SandboxRefundOutcome outcome, int loseNotifications = 0)
    {
        Factory.Start();
        await PaymentSandboxSetup.ConnectAsync(Factory.Services, "test", CancellationToken.None);
        using var admin = Factory.CreateApiClient(apiKey: null);
        (await admin.PutAsJsonAsync("/sandbox/wechatpay/admin/behaviour", new { outcome = outcome.ToString(), loseNotifications, processingMilliseconds = 300 })).EnsureSuccessStatusCode();
    }

    /// <summary>A received return whose refund was decided (the row the shipment observer adds at its trigger).</summary>
    private async Task<long> DecidedRefundAsync()
    {
        using var api = Factory.CreateApiClient();
        var orderNo = await ShippedOrderAsync(Factory, api);
        var returnId = await CreatedIdAsync(await CreateReturnAsync(api, orderNo, 1));
        await using var db = await Db();
        await db.Set<ReturnRequest>().Where(r => r.Id == returnId).ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, ReturnStatus.Received));
        db.Add(new Refund { ReturnId = returnId, Kind = ReturnResolution.Refund, Amount = 60m, Status = RefundStatus.Requested, Trigger = "received", DecidedAtUtc = DateTime.UtcNow });
        await db.SaveChangesAsync();
        return returnId;
    }

    private Task RunRefundJobAsync(long returnId) => Factory.GetService<RefundJob>().RunAsync(returnId, CancellationToken.None);

    private async Task<(Refund Refund, ReturnRequest Return, int Messages)> StateAsync(long returnId)
    {
        await using var db = await Db();
        var refund = await db.Set<Refund>().AsNoTracking().SingleAsync(r => r.ReturnId == returnId);
        var ret = await db.Set<ReturnRequest>().AsNoTracking().SingleAsync(r => r.Id == returnId);
        var messages = await db.Set<OutboxMessage>().CountAsync(m => m.ReturnId == returnId && m.Milestone == NotificationMilestone.Refunded);
        return (refund, ret, messages);
    }

    private Task<int> SandboxRefundsAsync(long returnId) =>
        Task.FromResult(Factory.GetService<WeChatPaySandbox>().Find(PaymentSandboxSetup.DemoMchId, "return-" + returnId) is null ? 0 : 1);
}
