using System.ComponentModel.DataAnnotations;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Features.Notifications;

/// <param name="Reference">Stable per outbox row ("outbox-42"): a gateway that dedupes on it never sends twice.</param>
/// <param name="Milestone">Template-based SMS providers (Alibaba Cloud, Tencent Cloud) send a registered template per milestone.</param>
/// <param name="Values">The placeholder values, for those providers' template parameters.</param>
public sealed record OutgoingMessage(string To, string? Subject, string Body, string Reference,
    NotificationMilestone? Milestone = null, IReadOnlyDictionary<string, string>? Values = null);

/// <param name="Provider">Who sent it, as shown in the delivery log.</param>
/// <param name="State">What the delivery log records on success: Sent only when a provider accepted the message.</param>
public sealed record SendResult(bool Success, string Provider, string? MessageId = null, string? Error = null, DeliveryState State = DeliveryState.Sent);

public interface ISmsSender
{
    Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken ct);
}

public interface IEmailSender
{
    Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken ct);
}

/// <summary>
/// Development only (registered nowhere else): sends nothing; the delivery log records the message as "logged, not
/// sent", never as sent (R10).
/// </summary>
public sealed class LogOnlySender : ISmsSender, IEmailSender
{
    public const string Provider = "log";

    public Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken ct) =>
        Task.FromResult(new SendResult(true, Provider, State: DeliveryState.LoggedNotSent));
}

/// <summary>
/// Outside Development, a channel without a provider: the message is recorded as "not configured" so the log and the
/// API say nothing left the portal; start-up, /health/ready and the notifications page say why.
/// </summary>
public sealed class NotConfiguredSender : ISmsSender, IEmailSender
{
    public const string Provider = "none";

    public Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken ct) =>
        Task.FromResult(new SendResult(true, Provider, State: DeliveryState.NotConfigured));
}

public sealed class SmsGatewayOptions : IValidatableObject
{
    public const string Section = "Notifications:Sms";

    /// <summary>A generic HTTP gateway's URL (POST JSON per message); empty = none. The cloud providers are chosen in settings.</summary>
    [Url]
    public string? Url { get; set; }
    /// <summary>Sent as "Authorization: Bearer …" when set.</summary>
    public string? ApiKey { get; set; }
    /// <summary>The SMS signature (签名) when no provider setting names one: every SMS carries 【SignName】.</summary>
    [MaxLength(20)]
    public string? SignName { get; set; }
    /// <summary>Alibaba Cloud SMS endpoint (docs/messaging-providers.md); a test points it at the local stub.</summary>
    [Required, Url]
    public string AliyunEndpoint { get; set; } = "https://dysmsapi.aliyuncs.com/";
    /// <summary>Tencent Cloud SMS endpoint (API 3.0).</summary>
    [Required, Url]
    public string TencentEndpoint { get; set; } = "https://sms.tencentcloudapi.com/";
    /// <summary>Tencent Cloud's X-TC-Region for SMS (ap-guangzhou, ap-beijing or ap-nanjing).</summary>
    [Required, RegularExpression("^ap-[a-z]+$", ErrorMessage = "Notifications:Sms:TencentRegion is a Tencent Cloud region such as ap-guangzhou.")]
    public string TencentRegion { get; set; } = "ap-guangzhou";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(ApiKey) && string.IsNullOrWhiteSpace(Url))
        {
            // The key is only ever sent to the HTTP gateway: without its URL the operator meant a gateway and has none.
            yield return new($"{Section}:ApiKey is set but {Section}:Url is empty: name the HTTP SMS gateway the key is for.", [nameof(ApiKey)]);
        }
    }
}

/// <summary>
/// A generic HTTP SMS gateway: POST {to, text, signName, reference} with an Idempotency-Key header (the reference), 2xx =
/// accepted. The JSON body's "messageId", if any, is logged. Failures (non-2xx, timeouts) are returned, never thrown,
/// so the dispatcher schedules a retry.
/// </summary>
public sealed class HttpSmsGatewaySender(HttpClient http, IOptions<SmsGatewayOptions> options) : ISmsSender
{
    public const string Provider = "http-gateway";

    public async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        var o = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, o.Url)
        {
            Content = JsonContent.Create(new { to = message.To, text = message.Body, signName = o.SignName, reference = message.Reference }),
        };
        request.Headers.Add("Idempotency-Key", message.Reference);
        if (!string.IsNullOrEmpty(o.ApiKey))
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", o.ApiKey);
        }
        try
        {
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                return new SendResult(false, Provider, Error: $"HTTP {(int)response.StatusCode}");
            }
            return new SendResult(true, Provider, await MessageIdAsync(response, ct));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new SendResult(false, Provider, Error: ex.Message);
        }
    }

    private static async Task<string?> MessageIdAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ct);
            return body.ValueKind == System.Text.Json.JsonValueKind.Object && body.TryGetProperty("messageId", out var id) ? id.ToString() : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
