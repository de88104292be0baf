using System.Text.Json;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Tests.Monitoring;
using MerchantPortal.Web.Tests.Notifications.Stubs;
using Microsoft.EntityFrameworkCore;

namespace MerchantPortal.Web.Tests.Notifications;

/// <summary>
/// The SMS providers against local stubs of their protocols (real HTTP on 127.0.0.1): every request the portal makes
/// is signed as the provider checks it, the message carries the merchant's signature (签名) and registered template,
/// receipts move the delivery to Delivered or Failed, and a wrong credential is named by "test connection".
/// </summary>
public class SmsProviderTests
{
    private const string AccessKeyId = "LTAI5tTestKeyId0001";
    private const string AccessSecret = "aliyun-test-secret-0001";
    private const string SecretId = "AKIDtest0000000000000000000000000001";
    private const string SecretKey = "tencent-test-secret-key-0001";
    private const string SdkAppId = "1400787878";

    private static Dictionary<string, string?> Endpoints(string? aliyun = null, string? tencent = null) => new()
    {
        ["Notifications:Sms:AliyunEndpoint"] = aliyun ?? "https://dysmsapi.aliyuncs.com/",
        ["Notifications:Sms:TencentEndpoint"] = tencent ?? "https://sms.tencentcloudapi.com/",
    };

    private static async Task<DeliveryLogEntry> LogOfAsync(ClockedPortal p, long outboxId)
    {
        await using var db = await p.DbAsync();
        return await db.Set<DeliveryLogEntry>().AsNoTracking().SingleAsync(l => l.OutboxId == outboxId && l.Channel == NotificationChannel.Sms);
    }

    [Fact]
    public async Task Alibaba_Cloud_gets_a_signed_SendSms_with_the_signature_and_template_and_its_receipts_move_deliveries_to_Delivered_or_Failed()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        using var stub = new AliyunSmsStub(new Dictionary<string, string> { [AccessKeyId] = AccessSecret }, clock.GetUtcNow);
        await using var portal = new ClockedPortal(overrides: Endpoints(aliyun: stub.BaseUrl));
        portal.Start();
        var providers = portal.GetService<SmsProviders>();
        var saved = await providers.SaveAsync(new SmsProviderInput(SmsProviderKind.Aliyun, AccessKeyId, AccessSecret, "好物商城", null,
            new Dictionary<string, string> { ["Shipped"] = "SMS_460001:orderNo,trackingNo" }), "admin@demo.local");
        Assert.Empty(saved);

        var first = await OutboxTestData.EnqueueShippedAsync(portal);
        var second = await OutboxTestData.EnqueueShippedAsync(portal, phone: "+86 139-0013-9001");
        await OutboxTestData.DispatchAsync(portal);

        var sent = stub.Messages.ToList();
        Assert.Equal(2, sent.Count);
        Assert.All(sent, m => Assert.Equal(("好物商城", "SMS_460001"), (m.SignName, m.TemplateCode)));
        Assert.Equal(["13900139000", "13900139001"], sent.Select(m => m.Phone).Order());
        var param = JsonDocument.Parse(sent[0].TemplateParam!).RootElement;
        Assert.Equal("ORD-1", param.GetProperty("orderNo").GetString());
        Assert.StartsWith("7", param.GetProperty("trackingNo").GetString(), StringComparison.Ordinal);
        Assert.Equal("outbox-" + first, sent.Single(m => m.Phone == "13900139000").OutId);

        var log1 = await LogOfAsync(portal, first);
        var log2 = await LogOfAsync(portal, second);
        Assert.Equal((AliyunSmsClient.Provider, DeliveryState.Sent), (log1.Provider, log1.State));
        Assert.Equal(sent.Single(m => m.Phone == "13900139000").BizId, log1.ProviderMessageId);
        Assert.StartsWith("【好物商城】", log1.Body, StringComparison.Ordinal);
        Assert.Equal(OutboxStatus.Sent, (await OutboxTestData.LoadAsync(portal, first)).Row.Status);

        // Receipts: one delivered, one refused by the handset's carrier.
        stub.Report(log1.ProviderMessageId!, delivered: true, "DELIVERED");
        stub.Report(log2.ProviderMessageId!, delivered: false, "IS_CLOSE");
        Assert.Equal(2, await portal.GetService<SmsReceiptJob>().RunAsync(CancellationToken.None));
        Assert.Equal(0, await portal.GetService<SmsReceiptJob>().RunAsync(CancellationToken.None));
        Assert.Equal(DeliveryState.Delivered, (await LogOfAsync(portal, first)).State);
        var failed = await LogOfAsync(portal, second);
        Assert.Equal((DeliveryState.Failed, "IS_CLOSE"), (failed.State, failed.StateDetail));

        // SendBatchSms: several numbers, each with its signature, in one signed call.
        var batch = await portal.GetService<AliyunSmsClient>().SendBatchSmsAsync(AccessKeyId, AccessSecret, ["13900139002", "13900139003"],
            ["好物商城", "好物商城"], "SMS_460001", [new Dictionary<string, string> { ["orderNo"] = "A" }, new Dictionary<string, string> { ["orderNo"] = "B" }],
            CancellationToken.None);
        Assert.True(batch.Ok, batch.Code);
        Assert.Equal(4, stub.Messages.Count);

        Assert.NotEmpty(stub.Calls);
        Assert.All(stub.Calls, r => Assert.True(r.Verified, $"{r.Action} failed the stub's signature check: {r.ErrorCode}"));
    }

    [Fact]
    public async Task Alibaba_Cloud_test_connection_names_a_wrong_key_id_and_a_wrong_secret_and_the_stub_refuses_both()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        using var stub = new AliyunSmsStub(new Dictionary<string, string> { [AccessKeyId] = AccessSecret }, clock.GetUtcNow);
        await using var portal = new ClockedPortal(overrides: Endpoints(aliyun: stub.BaseUrl));
        portal.Start();
        var providers = portal.GetService<SmsProviders>();

        var right = await providers.TestAsync(new SmsProviderInput(SmsProviderKind.Aliyun, AccessKeyId, AccessSecret, "好物商城", null, null));
        var wrongSecret = await providers.TestAsync(new SmsProviderInput(SmsProviderKind.Aliyun, AccessKeyId, "not-the-secret", "好物商城", null, null));
        var wrongId = await providers.TestAsync(new SmsProviderInput(SmsProviderKind.Aliyun, "LTAI-unknown", AccessSecret, "好物商城", null, null));

        Assert.Equal((true, "OK"), (right.Ok, right.Code));
        Assert.Equal((false, "SignatureDoesNotMatch"), (wrongSecret.Ok, wrongSecret.Code));
        Assert.Equal((false, "InvalidAccessKeyId.NotFound"), (wrongId.Ok, wrongId.Code));
        Assert.Equal([true, false, false], stub.Calls.Select(r => r.Verified));
    }

    [Fact]
    public async Task Tencent_Cloud_gets_a_TC3_signed_SendSms_with_the_signature_and_template_and_pulled_receipts_move_deliveries()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        using var stub = new TencentSmsStub(new Dictionary<string, string> { [SecretId] = SecretKey }, SdkAppId, clock.GetUtcNow);
        await using var portal = new ClockedPortal(overrides: Endpoints(tencent: stub.BaseUrl));
        portal.Start();
        var saved = await portal.GetService<SmsProviders>().SaveAsync(new SmsProviderInput(SmsProviderKind.Tencent, SecretId, SecretKey, "好物商城", SdkAppId,
            new Dictionary<string, string> { ["Shipped"] = "1790001:orderNo,carrier,trackingNo" }), "admin@demo.local");
        Assert.Empty(saved);

        var first = await OutboxTestData.EnqueueShippedAsync(portal);
        var second = await OutboxTestData.EnqueueShippedAsync(portal, phone: "13900139001");
        await OutboxTestData.DispatchAsync(portal);

        var sent = stub.Messages.ToList();
        Assert.Equal(["+8613900139000", "+8613900139001"], sent.Select(m => m.Phone).Order());
        Assert.All(sent, m => Assert.Equal(("好物商城", "1790001"), (m.SignName, m.TemplateId)));
        var mine = sent.Single(m => m.Phone == "+8613900139000");
        Assert.Equal(("ORD-1", "ZTO"), (mine.Params[0], mine.Params[1]));
        Assert.Equal("outbox-" + first, mine.SessionContext);
        var log1 = await LogOfAsync(portal, first);
        Assert.Equal((TencentSmsClient.Provider, mine.SerialNo, DeliveryState.Sent), (log1.Provider, log1.ProviderMessageId, log1.State));

        stub.Report(mine, delivered: true, "DELIVRD");
        stub.Report(sent.Single(m => m.Phone == "+8613900139001"), delivered: false, "MK:0005");
        Assert.Equal(2, await portal.GetService<SmsReceiptJob>().RunAsync(CancellationToken.None));
        Assert.Equal((DeliveryState.Delivered, "DELIVRD"), ((await LogOfAsync(portal, first)).State, (await LogOfAsync(portal, first)).StateDetail));
        Assert.Equal(DeliveryState.Failed, (await LogOfAsync(portal, second)).State);

        Assert.All(stub.Calls, r => Assert.True(r.Verified, $"{r.Action} failed the stub's signature check: {r.ErrorCode}"));
        Assert.Contains(stub.Calls, r => r.Action == "PullSmsSendStatus");
    }

    [Fact]
    public async Task Tencent_Cloud_test_connection_names_a_wrong_SecretId_and_a_wrong_SecretKey()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        using var stub = new TencentSmsStub(new Dictionary<string, string> { [SecretId] = SecretKey }, SdkAppId, clock.GetUtcNow);
        await using var portal = new ClockedPortal(overrides: Endpoints(tencent: stub.BaseUrl));
        portal.Start();
        var providers = portal.GetService<SmsProviders>();

        var right = await providers.TestAsync(new SmsProviderInput(SmsProviderKind.Tencent, SecretId, SecretKey, "好物商城", SdkAppId, null));
        var wrongKey = await providers.TestAsync(new SmsProviderInput(SmsProviderKind.Tencent, SecretId, "wrong", "好物商城", SdkAppId, null));
        var wrongId = await providers.TestAsync(new SmsProviderInput(SmsProviderKind.Tencent, "AKIDunknown", SecretKey, "好物商城", SdkAppId, null));

        Assert.True(right.Ok, right.Code);
        Assert.Equal("AuthFailure.SignatureFailure", wrongKey.Code);
        Assert.Equal("AuthFailure.SecretIdNotFound", wrongId.Code);
        Assert.Equal([true, false, false], stub.Calls.Select(r => r.Verified));
    }

    [Fact]
    public async Task The_provider_secret_is_stored_protected_and_never_in_plain_text()
    {
        await using var portal = new ClockedPortal();
        portal.Start();
        var providers = portal.GetService<SmsProviders>();
        await providers.SaveAsync(new SmsProviderInput(SmsProviderKind.Aliyun, AccessKeyId, AccessSecret, "好物商城", null, null), "admin@demo.local");
        // Saving again without a secret keeps the stored one (the page never gets it back).
        await providers.SaveAsync(new SmsProviderInput(SmsProviderKind.Aliyun, AccessKeyId, null, "好物商城", null, null), "admin@demo.local");

        await using var db = await portal.DbAsync();
        var stored = await db.Set<Web.Features.Admin.Settings.PortalSetting>().AsNoTracking().SingleAsync(s => s.Key == SmsProviderSettings.Key);
        Assert.DoesNotContain(AccessSecret, stored.Value, StringComparison.Ordinal);
        Assert.Equal(AccessSecret, providers.Unprotect(await providers.CurrentAsync()));
    }
}
