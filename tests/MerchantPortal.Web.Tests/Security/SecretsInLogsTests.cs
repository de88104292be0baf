using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantPortal.Web.Tests.Account;
using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace MerchantPortal.Web.Tests.Security;

/// <summary>Every log line the portal writes, formatted as a console would show it (message, state values, exception).</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            owner.Lines.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            owner.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} | {values} | {exception}");
        }
    }
}

/// <summary>A portal that logs everything from Information up into a <see cref="CapturingLoggerProvider"/>.</summary>
public sealed class LoggedPortal(CapturingLoggerProvider logs) : PortalFactory(overrides: new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Information" })
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
    }
}

/// <summary>
/// R5/R6: run the flows that handle secrets and personal data (sign-in, failed sign-in, API keys, carrier AppKeys,
/// webhook secrets, orders with phone numbers) and grep everything the portal logged for them.
/// </summary>
public sealed class SecretsInLogsTests : IAsyncLifetime
{
    private readonly CapturingLoggerProvider logs = new();
    private readonly LoggedPortal factory;

    public SecretsInLogsTests() => factory = new LoggedPortal(logs);

    public Task InitializeAsync()
    {
        factory.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Typical_flows_log_no_password_API_key_AppKey_webhook_secret_or_phone_number()
    {
        const string wrongPassword = "Wrong-Password-Leak-Check-7731";
        const string appKey = "appkey-leak-check-5f2e9d";
        const string customerPwd = "custpwd-leak-check-8812";
        const string phone = "13987654321";
        const string bogusKey = "mpk_bogus000_this-key-does-not-exist-leak-check";

        using (var browser = factory.CreateBrowserLikeClient())
        {
            await PortalSession.PostLoginAsync(browser, "ops@demo.local", wrongPassword);
        }
        using (var ops = await PortalSession.SignInAsync(factory, "ops@demo.local"))
        {
            Assert.Equal(HttpStatusCode.OK, (await ops.GetAsync("/orders")).StatusCode);
            await AccountForms.PostAsync(ops, "/Account/Manage/ChangePassword", "change-password", new Dictionary<string, string>
            {
                ["Input.OldPassword"] = wrongPassword,
                ["Input.NewPassword"] = "another-leak-check-passphrase",
                ["Input.ConfirmPassword"] = "another-leak-check-passphrase",
            });
        }

        using var api = factory.CreateApiClient();
        using var bogus = factory.CreateApiClient(bogusKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await bogus.GetAsync("/api/v1/orders")).StatusCode);

        var key = await (await api.PostAsJsonAsync("/api/v1/api-keys", new { name = "leak check", scopes = new[] { "orders:read" } })).Content.ReadFromJsonAsync<JsonElement>();
        var newKey = key.GetProperty("key").GetString()!;
        using (var keyed = factory.CreateApiClient(newKey))
        {
            Assert.Equal(HttpStatusCode.OK, (await keyed.GetAsync("/api/v1/orders?limit=5")).StatusCode);
        }

        var hook = await (await api.PostAsJsonAsync("/api/v1/webhook-subscriptions", new { name = "leak check", url = "https://example.invalid/hook", eventTypes = new[] { "exception.opened" } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var webhookSecret = hook.GetProperty("secret").GetString()!;

        var account = await api.PostAsJsonAsync("/api/v1/carrier-accounts", new
        {
            name = "leak check", environment = "Sandbox", customBaseUrl = (string?)null, eBusinessId = "test1617571", appKey,
            shipperCode = "ZTO", customerName = "acct", customerPwd, monthCode = "7550001", sendSite = (string?)null, sendStaff = (string?)null,
        });
        Assert.True(account.IsSuccessStatusCode, await account.Content.ReadAsStringAsync());
        var accountId = (await account.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        await api.PostAsync($"/api/v1/carrier-accounts/{accountId}/test", null);

        var order = await api.PostAsJsonAsync("/api/v1/orders", new
        {
            orderNo = "LEAK-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(),
            channel = "Api",
            receiver = new { name = "张三", mobile = phone, province = "广东省", city = "深圳市", district = "南山区", address = "科技园 1 号" },
            lines = new[] { new { sku = "SKU-1", name = "Item", quantity = 1, unitPrice = 10m, weightKg = 1m } },
            remark = (string?)null,
        });
        Assert.True(order.IsSuccessStatusCode, await order.Content.ReadAsStringAsync());
        // A bad order too: validation failures must not echo the phone number into the log either.
        await api.PostAsJsonAsync("/api/v1/orders", new { orderNo = "LEAK-BAD", receiver = new { name = "x", mobile = phone + "999", province = "nowhere", address = "x" }, lines = Array.Empty<object>() });

        var all = string.Join("\n", logs.Lines);
        Assert.True(logs.Lines.Count > 20, "The capture saw almost nothing: " + all);
        foreach (var (what, secret) in new[]
                 {
                     ("the demo password", PortalFactory.DemoPassword),
                     ("a wrong password", wrongPassword),
                     ("the demo API key", PortalFactory.DemoApiKey),
                     ("the demo API key's secret part", PortalFactory.DemoApiKey[13..]),
                     ("an unknown API key", bogusKey),
                     ("a new API key", newKey),
                     ("a webhook secret", webhookSecret),
                     ("a carrier AppKey", appKey),
                     ("a carrier customer password", customerPwd),
                     ("a receiver's phone number", phone),
                 })
        {
            var line = logs.Lines.FirstOrDefault(l => l.Contains(secret, StringComparison.Ordinal));
            Assert.True(line is null, $"The log shows {what}: {line}");
        }
    }
}
