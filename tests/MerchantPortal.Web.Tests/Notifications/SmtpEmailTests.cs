using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MerchantPortal.Web.Features.Notifications;
using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Tests.Monitoring;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace MerchantPortal.Web.Tests.Notifications;

/// <summary>An SMTP server in the test process on 127.0.0.1 (SmtpServer package): STARTTLS with a self-signed certificate, AUTH required.</summary>
public sealed class InProcessSmtpServer : IAsyncDisposable
{
    public const string User = "portal@shop.example";
    public const string Password = "smtp-test-password";

    private readonly CancellationTokenSource stop = new();
    private readonly Task running;

    public InProcessSmtpServer()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=smtp.test.local", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        Certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        var options = new SmtpServerOptionsBuilder().ServerName("smtp.test.local")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).Certificate(Certificate).AuthenticationRequired().IsSecure(false))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(Messages));
        services.Add(new DelegatingUserAuthenticator((user, password) => user == User && password == Password));
        running = new SmtpServer.SmtpServer(options, services).StartAsync(stop.Token);
    }

    public int Port { get; }

    public X509Certificate2 Certificate { get; }

    /// <summary>SHA-256 of the certificate, as Notifications:Email:Smtp:CertificateThumbprint pins it.</summary>
    public string Thumbprint => Certificate.GetCertHashString(HashAlgorithmName.SHA256);

    public ConcurrentQueue<MimeMessage> Messages { get; } = new();

    private sealed class Store(ConcurrentQueue<MimeMessage> messages) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
        }
        Certificate.Dispose();
        stop.Dispose();
    }
}

public class SmtpEmailTests
{
    private static Dictionary<string, string?> Smtp(InProcessSmtpServer server) => new()
    {
        ["Notifications:Email:Smtp:Host"] = "127.0.0.1",
        ["Notifications:Email:Smtp:Port"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Notifications:Email:Smtp:Security"] = "StartTls",
        ["Notifications:Email:Smtp:UserName"] = InProcessSmtpServer.User,
        ["Notifications:Email:Smtp:Password"] = InProcessSmtpServer.Password,
        ["Notifications:Email:Smtp:From"] = "shop@shop.example",
        ["Notifications:Email:Smtp:FromName"] = "好物商城",
        ["Notifications:Email:Smtp:CertificateThumbprint"] = server.Thumbprint,
    };

    private static async Task<long> ShippedToAsync(ClockedPortal p, string email, string? culture)
    {
        var s = await p.ShipmentAsync();
        await using (var db = await p.DbAsync())
        {
            await db.Set<Order>().Where(o => o.Id == s.OrderId).ExecuteUpdateAsync(u => u.SetProperty(o => o.CustomerEmail, email).SetProperty(o => o.CustomerCulture, culture));
            // The milestone as the tracking observer writes it: the order's number and parcel, no address in the payload.
            Outbox.EnqueueCustomer(db, NotificationMilestone.Shipped, s.OrderId, s.Id, null,
                new Dictionary<string, string> { ["orderNo"] = "ORD-9", ["trackingNo"] = s.TrackingNo, ["carrier"] = "ZTO" }, p.Now);
            await db.SaveChangesAsync();
            return await db.Set<OutboxMessage>().Where(o => o.ShipmentId == s.Id).Select(o => o.Id).SingleAsync();
        }
    }

    [Fact]
    public async Task A_shipping_milestone_reaches_the_SMTP_server_once_over_TLS_with_login_in_the_reader_s_language()
    {
        await using var server = new InProcessSmtpServer();
        await using var p = new ClockedPortal(overrides: Smtp(server));
        var english = await ShippedToAsync(p, "reader.en@example.com", "en");
        var chinese = await ShippedToAsync(p, "reader.zh@example.com", null);

        await OutboxTestData.DispatchAsync(p);
        await OutboxTestData.DispatchAsync(p);

        var received = server.Messages.ToList();
        Assert.Equal(2, received.Count);
        var en = Assert.Single(received, m => m.To.Mailboxes.Single().Address == "reader.en@example.com");
        Assert.Equal("Your order has shipped", en.Subject);
        Assert.StartsWith("Your order ORD-9 has shipped with ZTO", en.TextBody, StringComparison.Ordinal);
        Assert.Equal(("shop@shop.example", "好物商城"), (en.From.Mailboxes.Single().Address, en.From.Mailboxes.Single().Name));
        var zh = Assert.Single(received, m => m.To.Mailboxes.Single().Address == "reader.zh@example.com");
        Assert.Equal("您的订单已发货", zh.Subject);

        var (row, log) = await OutboxTestData.LoadAsync(p, english);
        var mail = log.Single(l => l.Channel == NotificationChannel.Email);
        Assert.Equal((SmtpEmailSender.Provider, DeliveryState.Sent, en.MessageId), (mail.Provider, mail.State, mail.ProviderMessageId));
        // SMS has no provider in this portal (development): logged, not sent; the e-mail makes the message sent.
        Assert.Equal(DeliveryState.LoggedNotSent, log.Single(l => l.Channel == NotificationChannel.Sms).State);
        Assert.Equal(OutboxStatus.Sent, row.Status);
        Assert.Equal(OutboxStatus.Sent, (await OutboxTestData.LoadAsync(p, chinese)).Row.Status);
    }

    [Fact]
    public async Task A_wrong_SMTP_password_is_retried_not_logged_as_sent()
    {
        await using var server = new InProcessSmtpServer();
        var settings = Smtp(server);
        settings["Notifications:Email:Smtp:Password"] = "wrong";
        await using var p = new ClockedPortal(overrides: settings);
        var id = await ShippedToAsync(p, "reader@example.com", "en");

        await OutboxTestData.DispatchAsync(p);

        var (row, log) = await OutboxTestData.LoadAsync(p, id);
        Assert.Empty(server.Messages);
        Assert.DoesNotContain(log, l => l.Channel == NotificationChannel.Email);
        Assert.Equal(OutboxStatus.Pending, row.Status);
        Assert.StartsWith("Email: ", row.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_order_pushed_by_the_API_keeps_the_buyer_s_e_mail_and_language_and_a_bad_address_is_refused_by_name()
    {
        await using var p = new ClockedPortal();
        using var api = p.CreateApiClient();
        object Order(string orderNo, string email) => new
        {
            orderNo, channel = "Tmall", email, language = "en",
            receiver = new { name = "李雷", mobile = "13800138000", province = "浙江省", city = "杭州市", district = "西湖区", address = "文三路 90 号" },
            lines = new[] { new { sku = "SKU-1", name = "保温杯", quantity = 1, unitPrice = 60.0m, weightKg = 0.4m } },
        };
        var no = "MAIL-" + Guid.NewGuid().ToString("N")[..8];

        var created = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(api, "/api/v1/orders", Order(no, "buyer@example.com"));
        var refused = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(api, "/api/v1/orders", Order(no + "-2", "not-an-address"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = System.Text.Json.JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains(problem.GetProperty("errors").EnumerateObject(), e => e.Name.Equals("email", StringComparison.OrdinalIgnoreCase));
        await using var db = await p.DbAsync();
        var order = await db.Set<Order>().AsNoTracking().SingleAsync(o => o.OrderNo == no);
        Assert.Equal(("buyer@example.com", "en"), (order.CustomerEmail, order.CustomerCulture));
    }

    [Theory]
    [InlineData("Email")]
    [InlineData("E-mail")]
    [InlineData("买家邮箱")]
    [InlineData("邮箱")]
    public void An_import_column_headed_as_an_e_mail_is_the_buyer_s_e_mail(string header) =>
        Assert.Equal(Web.Features.Orders.Import.ImportField.Email, Web.Features.Orders.Import.HeaderAliases.Match(header));
}
