using System.Globalization;
using System.Net;
using System.Net.Sockets;
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
/// A webhook delivery to a receiver that refuses the connection (a real HTTP attempt to a closed port) stores the HTTP
/// client's English exception text for the API; the webhooks page (bUnit, real services) words it for its reader.
/// </summary>
[Collection(SharedPortal.Name)]
public class WebhooksPageTests(SharedPortal portal) : BunitTestBase
{
    private async Task<string> RefusedDeliveryAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        long deliveryId;
        await using (var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var subscription = new WebhookSubscription
            {
                Name = "拒绝连接 " + Guid.NewGuid().ToString("N")[..6], Url = $"http://127.0.0.1:{port}/hook", EventTypes = WebhookEvents.ExceptionOpened,
                SecretProtected = portal.Factory.GetService<WebhookSecrets>().Protect(WebhookSecrets.NewSecret()), CreatedAtUtc = DateTime.UtcNow, UpdatedAtUtc = DateTime.UtcNow,
                // Disabled: no other test's event fans out to it; the sender still attempts the delivery made here.
                Enabled = false,
            };
            db.Add(subscription);
            await db.SaveChangesAsync();
            var delivery = new WebhookDelivery
            {
                SubscriptionId = subscription.Id, OutboxId = -subscription.Id, EventType = WebhookEvents.ExceptionOpened, Body = "{}",
                Status = WebhookDeliveryStatus.Pending, NextAttemptAtUtc = DateTime.UtcNow.AddMinutes(-1), CreatedAtUtc = DateTime.UtcNow,
            };
            db.Add(delivery);
            await db.SaveChangesAsync();
            deliveryId = delivery.Id;
        }
        await portal.Factory.GetService<WebhookSender>().DeliverDueAsync(CancellationToken.None);
        await using (var db = await portal.Factory.GetService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var stored = await db.Set<WebhookDelivery>().AsNoTracking().SingleAsync(d => d.Id == deliveryId);
            Assert.Null(stored.LastStatusCode);
            Assert.False(string.IsNullOrWhiteSpace(stored.LastError), "the API keeps the HTTP client's own text");
            return stored.LastError!;
        }
    }

    private IRenderedComponent<CascadingAuthenticationState> Render(string culture)
    {
        Context.Services.AddSingleton(portal.Factory.GetService<WebhookService>());
        Context.AddAuthorization().SetAuthorized("admin@demo.local").SetRoles(Roles.Admin);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        Context.Render<MudPopoverProvider>();
        return Context.Render<CascadingAuthenticationState>(p => p.AddChildContent<WebhooksPage>());
    }

    [Fact]
    public async Task A_Chinese_admin_reads_why_a_delivery_failed_in_Chinese()
    {
        var english = await RefusedDeliveryAsync();
        var page = Render("zh-CN");

        page.WaitForAssertion(() => Assert.Contains("未送达：未收到 HTTP 响应（无法连接接收方、连接被拒绝或超时），或无法读取签名密钥。",
            page.FindAll("[data-testid=webhook-last-result]").Select(c => c.TextContent.Trim())));
        Assert.DoesNotContain(english, page.Markup);
    }

    [Fact]
    public async Task An_English_admin_reads_it_in_English()
    {
        await RefusedDeliveryAsync();
        var page = Render("en");

        page.WaitForAssertion(() => Assert.Contains("Not delivered: no HTTP answer (the receiver could not be reached, refused the connection or timed out), or the signing secret could not be read.",
            page.FindAll("[data-testid=webhook-last-result]").Select(c => c.TextContent.Trim())));
    }
}
