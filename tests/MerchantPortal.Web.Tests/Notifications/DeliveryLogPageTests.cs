using System.Globalization;
using Bunit;
using MerchantPortal.Web.Data;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Infrastructure;
using MerchantPortal.Web.Setup;
using MerchantPortal.Web.Tests.Components;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MerchantPortal.Web.Tests.Notifications;

/// <summary>
/// The "not sent" tab of the delivery log (bUnit, real admin service and database) words why a message was skipped
/// in the reader's language: the outbox keeps the dispatcher's notes and the milestone's name in English for the API.
/// </summary>
[Collection(SharedPortal.Name)]
public class DeliveryLogPageTests(SharedPortal portal) : BunitTestBase
{
    private static readonly string[] EnglishNotes =
        [OutboxNotes.OptedOut, OutboxNotes.NoRecipient, OutboxNotes.NoTemplate(NotificationMilestone.OutForDelivery), OutboxNotes.SendFailed(NotificationChannel.Sms, "短信额度已用完"),
            "The SSL connection could not be established, see inner exception."];

    private async Task SkippedRowsAsync()
    {
        await using var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        foreach (var note in EnglishNotes)
        {
            db.Add(new OutboxMessage
            {
                Kind = OutboxKind.Customer, Milestone = NotificationMilestone.OutForDelivery, EventType = nameof(NotificationMilestone.OutForDelivery),
                PayloadJson = "{}", Status = note.StartsWith("Sms", StringComparison.Ordinal) || note.StartsWith("The", StringComparison.Ordinal) ? OutboxStatus.Failed : OutboxStatus.Skipped,
                Attempts = 1, NextAttemptAtUtc = DateTime.UtcNow, CreatedAtUtc = DateTime.UtcNow, LastError = note,
            });
        }
        await db.SaveChangesAsync();
    }

    private IRenderedComponent<CascadingAuthenticationState> RenderUnsentTab(string culture, string tabLabel)
    {
        Context.Services.AddSingleton(portal.Factory.GetService<NotificationAdmin>());
        Context.Services.AddSingleton(portal.Factory.GetService<SmsProviders>());
        Context.Services.AddSingleton(portal.Factory.GetService<Microsoft.Extensions.Options.IOptions<SmtpOptions>>());
        Context.AddAuthorization().SetAuthorized("ops@demo.local").SetRoles(Roles.Ops);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        Context.Render<MudPopoverProvider>();
        var page = Context.Render<CascadingAuthenticationState>(p => p.AddChildContent<DeliveryLogPage>());
        page.WaitForAssertion(() => Assert.Contains(page.FindAll(".mud-tab"), t => t.TextContent.Trim() == tabLabel));
        page.FindAll(".mud-tab").First(t => t.TextContent.Trim() == tabLabel).Click();
        return page;
    }

    [Fact]
    public async Task A_Chinese_user_reads_why_messages_were_not_sent_in_Chinese()
    {
        await SkippedRowsAsync();
        var page = RenderUnsentTab("zh-CN", "未发送");

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=unsent-note]")));
        var notes = page.FindAll("[data-testid=unsent-note]").Select(n => n.TextContent.Trim()).ToList();
        Assert.Contains("未发送：所有收件人都已退订。", notes);
        Assert.Contains("未发送：订单没有手机号或邮箱。", notes);
        Assert.Contains("未发送：“派送中”没有启用的模板。", notes);
        Assert.Contains("短信发送失败，服务商返回：短信额度已用完", notes);
        Assert.Contains("发送出错，详情见服务器日志。", notes);
        var table = page.Find("[data-testid=unsent-table]").TextContent;
        Assert.All(EnglishNotes, english => Assert.DoesNotContain(english, table));
        Assert.DoesNotContain("OutForDelivery", table);
    }

    [Fact]
    public async Task An_English_user_reads_them_in_English()
    {
        await SkippedRowsAsync();
        var page = RenderUnsentTab("en", "Not sent");

        page.WaitForAssertion(() => Assert.Contains("Not sent: no enabled template for “Out for delivery”.", page.FindAll("[data-testid=unsent-note]").Select(n => n.TextContent.Trim())));
        Assert.Contains("SMS could not be sent; the provider said: 短信额度已用完", page.FindAll("[data-testid=unsent-note]").Select(n => n.TextContent.Trim()));
    }

    [Theory]
    [InlineData("Opted out", "OptedOut", null, null)]
    [InlineData("No phone or e-mail", "NoRecipient", null, null)]
    [InlineData("No subscription", "NoSubscription", null, null)]
    [InlineData("No enabled template for Delivered", "NoTemplate", "Delivered", null)]
    [InlineData("Email: mailbox full", "SendFailed", "Email", "mailbox full")]
    [InlineData("A task was canceled.", "Error", null, "A task was canceled.")]
    public void Every_note_the_dispatcher_writes_is_told_apart(string note, string code, string? subject, string? text) =>
        Assert.Equal((code, subject, text), OutboxNotes.Classify(note));
}
