using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MerchantPortal.Web.Features.Admin.Audit;
using MerchantPortal.Web.Features.CarrierAccounts;
using MerchantPortal.Web.Tests.Infrastructure;

namespace MerchantPortal.Web.Tests.CarrierAccounts;

[Collection(SharedPortal.Name)]
public class CarrierAccountTests(SharedPortal portal)
{
    private const string SandboxEBusinessId = "test1617571";
    private const string SandboxAppKey = "sandbox-appkey-0001-demo";

    private CarrierAccountService Service => portal.Factory.GetService<CarrierAccountService>();

    private static CarrierAccountInput Input(string name, string appKey = SandboxAppKey, string? customerPwd = null, string shipper = "ZTO") =>
        new(name, CarrierEnvironment.Sandbox, null, SandboxEBusinessId, appKey, shipper, "acct", customerPwd, "7550001", null, null);

    [Fact]
    public async Task The_demo_comes_with_sandbox_accounts_whose_connection_test_makes_a_real_signed_call()
    {
        var accounts = await Service.ListAsync();
        Assert.True(accounts.Count(a => a.Environment == CarrierEnvironment.Sandbox) >= 5);
        Assert.Single(accounts, a => a.IsDefault);

        var zto = accounts.First(a => a.ShipperCode == "ZTO" && a.Name.Contains("(沙箱)", StringComparison.Ordinal));
        var result = await Service.TestConnectionAsync(zto.Id, "test");
        Assert.True(result.Success, result.Reason);
        Assert.Equal(200, result.HttpStatus);
    }

    [Fact]
    public async Task A_wrong_AppKey_fails_the_connection_test_with_the_carriers_reason()
    {
        var account = await Service.CreateAsync(Input("错误密钥 " + Guid.NewGuid().ToString("N")[..6], appKey: "not-the-sandbox-key"), "test");
        var result = await Service.TestConnectionAsync(account.Id, "test");
        Assert.False(result.Success);
        Assert.Equal("102", result.ResultCode);
        Assert.Contains("[102]", result.Reason);
        var after = await Service.GetAsync(account.Id);
        Assert.NotNull(after!.Health.LastFailureAtUtc);
        Assert.Contains("102", after.Health.LastFailureReason);
    }

    [Fact]
    public async Task The_database_file_holds_no_plaintext_AppKey_or_CustomerPwd()
    {
        var appKey = "appkey-plaintext-probe-" + Guid.NewGuid().ToString("N");
        var password = "customerpwd-plaintext-probe-" + Guid.NewGuid().ToString("N");
        var account = await Service.CreateAsync(Input("probe " + Guid.NewGuid().ToString("N")[..6], appKey: appKey, customerPwd: password), "test");
        var context = await portal.Factory.GetService<CarrierAccountContexts>().GetAsync(account.Id);
        Assert.Equal(appKey, context.AppKey);
        Assert.Equal(password, context.WaybillAccount!.CustomerPwd);

        var bytes = await DatabaseFiles.ReadAllBytesAsync(portal.Factory.DataDirectory);
        Assert.True(bytes.Length > 0);
        foreach (var secret in new[] { appKey, password })
        {
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)));
        }
    }

    [Fact]
    public async Task The_API_never_returns_a_secret_only_when_it_was_set()
    {
        var appKey = "api-secret-" + Guid.NewGuid().ToString("N");
        using var client = portal.Factory.CreateApiClient();
        var created = await client.PostAsJsonAsync("/api/v1/carrier-accounts", new
        {
            name = "api " + Guid.NewGuid().ToString("N")[..6],
            environment = "Sandbox",
            eBusinessId = SandboxEBusinessId,
            appKey,
            shipperCode = "SF",
            customerPwd = "pwd-" + appKey,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadAsStringAsync();
        Assert.DoesNotContain(appKey, body);
        Assert.Contains("appKeySetAtUtc", body);
        var list = await client.GetStringAsync("/api/v1/carrier-accounts");
        Assert.DoesNotContain(appKey, list);

        var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt32();
        var test = await client.PostAsync($"/api/v1/carrier-accounts/{id}/test", null);
        Assert.Equal(HttpStatusCode.OK, test.StatusCode);
        Assert.Contains("\"success\":false", await test.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Invalid_input_is_refused_with_each_field_named()
    {
        using var client = portal.Factory.CreateApiClient();
        var response = await client.PostAsJsonAsync("/api/v1/carrier-accounts", new
        {
            name = "",
            environment = "Custom",
            customBaseUrl = "not a url",
            eBusinessId = "",
            shipperCode = "NOPE",
            requestsPerSecond = 0,
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        foreach (var field in new[] { "name", "customBaseUrl", "eBusinessId", "appKey", "shipperCode", "requestsPerSecond" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
    }

    [Fact]
    public async Task Saving_without_a_secret_keeps_the_saved_one_and_a_stale_version_is_refused()
    {
        var account = await Service.CreateAsync(Input("keep " + Guid.NewGuid().ToString("N")[..6]), "test");
        var updated = await Service.UpdateAsync(account.Id, Input(account.Name, appKey: null!) with { AppKey = null, MonthCode = "changed" }, account.Version, "test");
        Assert.Equal("changed", updated.MonthCode);
        Assert.Equal(account.AppKeySetAtUtc, updated.AppKeySetAtUtc);
        Assert.True((await Service.TestConnectionAsync(account.Id, "test")).Success);

        await Assert.ThrowsAsync<CarrierAccountConcurrencyException>(() =>
            Service.UpdateAsync(account.Id, Input(account.Name) with { AppKey = null }, account.Version, "test"));
    }

    [Fact]
    public async Task Every_change_is_audited_without_the_secret()
    {
        var secret = "audited-secret-" + Guid.NewGuid().ToString("N");
        var account = await Service.CreateAsync(Input("audit " + Guid.NewGuid().ToString("N")[..6], appKey: secret), "admin@demo.local");
        await Service.SetDisabledAsync(account.Id, true, "admin@demo.local");
        await Service.TestConnectionAsync(account.Id, "admin@demo.local");

        var (rows, _) = await portal.Factory.GetService<AuditQueries>().PageAsync(account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), 0, 100);
        var mine = rows.Where(r => r.EntityType == nameof(CarrierAccount) && r.EntityId == account.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Contains(mine, r => r.Action == "CarrierAccount.Created" && r.Actor == "admin@demo.local");
        Assert.Contains(mine, r => r.Action == "CarrierAccount.Disabled");
        Assert.Contains(mine, r => r.Action == "CarrierAccount.Tested");
        Assert.DoesNotContain(mine, r => (r.Details ?? "").Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Calls_are_counted_for_the_accounts_health()
    {
        var account = await Service.CreateAsync(Input("health " + Guid.NewGuid().ToString("N")[..6]), "test");
        await Service.TestConnectionAsync(account.Id, "test");
        await Service.TestConnectionAsync(account.Id, "test");
        await portal.Factory.GetService<CarrierCallMeter>().FlushAsync(CancellationToken.None);
        var health = (await Service.GetAsync(account.Id))!.Health;
        Assert.True(health.CallsToday >= 2, $"calls today: {health.CallsToday}");
        Assert.Equal(0, health.Failures24h);
        Assert.Equal(0d, health.ErrorRate24h);
        Assert.NotNull(health.LastSuccessAtUtc);
    }
}
