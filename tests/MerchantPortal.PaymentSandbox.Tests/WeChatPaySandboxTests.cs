using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MerchantPortal.PaymentSandbox.Tests;

/// <summary>
/// The sandbox alone on 127.0.0.1, called with a signer written here from the documentation (not the portal's), so a
/// mistake shared by client and sandbox would show as a disagreement with these tests.
/// </summary>
public sealed class WeChatPaySandboxTests : IAsyncLifetime
{
    private const string MchId = "1230000109";
    private const string Serial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
    private readonly RSA merchantKey = RSA.Create(2048);
    private readonly string apiV3Key = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private WebApplication app = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddWeChatPaySandbox();
        app = builder.Build();
        app.MapWeChatPaySandbox();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        http = new HttpClient { BaseAddress = new Uri(address) };
        (await http.PostAsJsonAsync("/sandbox/wechatpay/admin/merchants", new { mchId = MchId, serialNo = Serial, publicKeyPem = merchantKey.ExportSubjectPublicKeyInfoPem(), apiV3Key })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await app.DisposeAsync();
        merchantKey.Dispose();
    }

    [Fact]
    public async Task A_correctly_signed_refund_is_answered_with_a_signed_success()
    {
        var response = await SendAsync(HttpMethod.Post, "/sandbox/wechatpay/v3/refund/domestic/refunds", Apply("R-1", 1001), merchantKey);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("SUCCESS", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal("R-1", doc.RootElement.GetProperty("out_refund_no").GetString());
        Assert.True(AnswerVerifies(response, body));
    }

    [Fact]
    public async Task A_wrongly_signed_request_is_refused_with_401_SIGN_ERROR()
    {
        using var stranger = RSA.Create(2048);
        var response = await SendAsync(HttpMethod.Post, "/sandbox/wechatpay/v3/refund/domestic/refunds", Apply("R-2", 1000), stranger);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("SIGN_ERROR", doc.RootElement.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(doc.RootElement.GetProperty("message").GetString()));
        Assert.Null(app.Services.GetRequiredService<WeChatPaySandbox>().Find(MchId, "R-2"));
    }

    [Fact]
    public async Task A_request_whose_body_was_changed_after_signing_is_refused()
    {
        var body = Apply("R-3", 1000);
        var response = await SendAsync(HttpMethod.Post, "/sandbox/wechatpay/v3/refund/domestic/refunds", body, merchantKey, sentBody: body.Replace("1000", "9000", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task The_same_out_refund_no_twice_is_one_refund_and_the_query_answers_it()
    {
        var first = await SendAsync(HttpMethod.Post, "/sandbox/wechatpay/v3/refund/domestic/refunds", Apply("R-4", 1000), merchantKey);
        var second = await SendAsync(HttpMethod.Post, "/sandbox/wechatpay/v3/refund/domestic/refunds", Apply("R-4", 1000), merchantKey);
        var query = await SendAsync(HttpMethod.Get, "/sandbox/wechatpay/v3/refund/domestic/refunds/R-4", "", merchantKey);
        var missing = await SendAsync(HttpMethod.Get, "/sandbox/wechatpay/v3/refund/domestic/refunds/R-404", "", merchantKey);

        static async Task<string> Id(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("refund_id").GetString()!;
        Assert.Equal(await Id(first), await Id(second));
        Assert.Equal(await Id(first), await Id(query));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("RESOURCE_NOT_EXISTS", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_amount_ending_in_03_is_refused_with_NOT_ENOUGH()
    {
        var response = await SendAsync(HttpMethod.Post, "/sandbox/wechatpay/v3/refund/domestic/refunds", Apply("R-5", 1003), merchantKey);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("NOT_ENOUGH", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_processing_refund_is_notified_signed_and_encrypted_with_the_APIv3_key()
    {
        var received = new TaskCompletionSource<(string Body, Dictionary<string, string> Headers)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var receiverBuilder = WebApplication.CreateBuilder();
        receiverBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        receiverBuilder.Logging.ClearProviders();
        await using var receiver = receiverBuilder.Build();
        receiver.MapPost("/notify", async (Microsoft.AspNetCore.Http.HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            received.TrySetResult((await reader.ReadToEndAsync(), request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            return Microsoft.AspNetCore.Http.Results.NoContent();
        });
        await receiver.StartAsync();
        var notifyUrl = receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/notify";
        app.Services.GetRequiredService<WeChatPaySandbox>().ProcessingTime = TimeSpan.FromMilliseconds(100);

        var response = await SendAsync(HttpMethod.Post, "/sandbox/wechatpay/v3/refund/domestic/refunds", Apply("R-6", 1000, notifyUrl), merchantKey);
        Assert.Equal("PROCESSING", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
        var (body, headers) = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var platform = RSA.Create();
        platform.ImportFromPem(app.Services.GetRequiredService<WeChatPaySandbox>().PlatformPublicKeyPem);
        var message = Encoding.UTF8.GetBytes($"{headers["Wechatpay-Timestamp"]}\n{headers["Wechatpay-Nonce"]}\n{body}\n");
        Assert.True(platform.VerifyData(message, Convert.FromBase64String(headers["Wechatpay-Signature"]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var resource = JsonDocument.Parse(body).RootElement.GetProperty("resource");
        Assert.Equal("AEAD_AES_256_GCM", resource.GetProperty("algorithm").GetString());
        var data = Convert.FromBase64String(resource.GetProperty("ciphertext").GetString()!);
        using var aes = new AesGcm(Encoding.UTF8.GetBytes(apiV3Key), 16);
        var plain = new byte[data.Length - 16];
        aes.Decrypt(Encoding.UTF8.GetBytes(resource.GetProperty("nonce").GetString()!), data.AsSpan(0, data.Length - 16), data.AsSpan(data.Length - 16), plain,
            Encoding.UTF8.GetBytes(resource.GetProperty("associated_data").GetString()!));
        var refund = JsonDocument.Parse(plain).RootElement;
        Assert.Equal(("R-6", "SUCCESS", MchId), (refund.GetProperty("out_refund_no").GetString(), refund.GetProperty("refund_status").GetString(), refund.GetProperty("mchid").GetString()));
        Assert.Equal("REFUND.SUCCESS", JsonDocument.Parse(body).RootElement.GetProperty("event_type").GetString());
    }

    private static string Apply(string outRefundNo, long fen, string? notifyUrl = null) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["out_trade_no"] = "T-" + outRefundNo,
        ["out_refund_no"] = outRefundNo,
        ["reason"] = "退货",
        ["notify_url"] = notifyUrl,
        ["amount"] = new Dictionary<string, object> { ["refund"] = fen, ["total"] = fen, ["currency"] = "CNY" },
    });

    /// <summary>The documented signature: SHA256withRSA over "METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n", in the Authorization header.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string body, RSA key, string? sentBody = null)
    {
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = Guid.NewGuid().ToString("N").ToUpperInvariant();
        var signature = Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes($"{method.Method}\n{path}\n{timestamp}\n{nonce}\n{body}\n"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        using var request = new HttpRequestMessage(method, path);
        if (method != HttpMethod.Get)
        {
            request.Content = new StringContent(sentBody ?? body, Encoding.UTF8, "application/json");
        }
        request.Headers.TryAddWithoutValidation("Authorization",
            $"WECHATPAY2-SHA256-RSA2048 mchid=\"{MchId}\",nonce_str=\"{nonce}\",signature=\"{signature}\",timestamp=\"{timestamp}\",serial_no=\"{Serial}\"");
        return await http.SendAsync(request);
    }

    private bool AnswerVerifies(HttpResponseMessage response, string body)
    {
        using var platform = RSA.Create();
        platform.ImportFromPem(app.Services.GetRequiredService<WeChatPaySandbox>().PlatformPublicKeyPem);
        string H(string name) => response.Headers.GetValues(name).First();
        return platform.VerifyData(Encoding.UTF8.GetBytes($"{H("Wechatpay-Timestamp")}\n{H("Wechatpay-Nonce")}\n{body}\n"),
            Convert.FromBase64String(H("Wechatpay-Signature")), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
