using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MerchantPortal.CarrierSandbox.Tests;

internal sealed record KdniaoReply(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)
{
    public bool Success => Body.TryGetProperty("Success", out var s) && s.ValueKind == JsonValueKind.True;

    public string? ResultCode => Body.TryGetProperty("ResultCode", out var c) ? c.GetString() : null;

    public string Str(string name) => Body.GetProperty(name).GetString()!;
}

/// <summary>The sandbox on real Kestrel at 127.0.0.1, port 0, called with a raw HttpClient posting forms.</summary>
internal sealed class SandboxApp : IAsyncDisposable
{
    public const string Prefix = "/sandbox/kdniao";
    public const string MerchantId = "test1617571";
    public const string AppKey = "sandbox-appkey-0001-demo";

    private SandboxApp(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public static async Task<SandboxApp> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var config = new Dictionary<string, string?>
        {
            ["CarrierSandbox:Merchants:0:EBusinessId"] = MerchantId,
            ["CarrierSandbox:Merchants:0:AppKey"] = AppKey,
            ["CarrierSandbox:Merchants:0:Name"] = "Test merchant",
            // Real time only creeps forward in tests; they move simulated time with admin/advance.
            ["CarrierSandbox:SpeedFactor"] = "1",
            ["CarrierSandbox:PushIntervalSeconds"] = "3600",
            ["CarrierSandbox:RateLimitPerSecond"] = "1000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config["CarrierSandbox:" + key] = value;
        }

        builder.Configuration.AddInMemoryCollection(config);
        builder.Services.AddKdniaoSandbox(builder.Configuration.GetSection("CarrierSandbox"));
        var app = builder.Build();
        app.MapKdniaoSandbox();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SandboxApp(app, new Uri(address));
    }

    public async Task<KdniaoReply> CallAsync(
        string requestType,
        string requestData,
        string path = "/api/dist",
        string? sign = null,
        string eBusinessId = MerchantId,
        bool doubleEncode = false)
    {
        var fields = new Dictionary<string, string>
        {
            ["RequestData"] = doubleEncode ? Uri.EscapeDataString(requestData) : requestData,
            ["EBusinessID"] = eBusinessId,
            ["RequestType"] = requestType,
            ["DataSign"] = sign ?? TestSigning.Sign(requestData, AppKey),
            ["DataType"] = "2",
        };
        var response = await Http.PostAsync(Prefix + path, new FormUrlEncodedContent(fields));
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new KdniaoReply(response.StatusCode, body, response);
    }

    /// <summary>A call that must come back HTTP 200 with Success true.</summary>
    public async Task<JsonElement> CallOkAsync(string requestType, string requestData, string path = "/api/dist")
    {
        var reply = await CallAsync(requestType, requestData, path);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.True(reply.Success, reply.Body.GetRawText());
        return reply.Body;
    }

    public async Task<JsonElement> StatsAsync() =>
        JsonDocument.Parse(await Http.GetStringAsync(Prefix + "/admin/stats")).RootElement.Clone();

    public async Task<JsonElement> AdminPostAsync(string action, string json = "{}")
    {
        var response = await Http.PostAsync(Prefix + "/admin/" + action, new StringContent(json, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public Task<JsonElement> AdvanceHoursAsync(double hours) =>
        AdminPostAsync("advance", "{\"hours\": " + hours.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
