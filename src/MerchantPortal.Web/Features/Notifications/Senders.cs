using System.Net.Http.Json;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Features.Notifications;

/// <param name="Reference">Stable per outbox row ("outbox-42"): a gateway that dedupes on it never sends twice.</param>
public sealed record OutgoingMessage(string To, string? Subject, string Body, string Reference);

/// <param name="Provider">Who sent it, as shown in the delivery log.</param>
public sealed record SendResult(bool Success, string Provider, string? MessageId = null, string? Error = null);

public interface ISmsSender
{
    Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken ct);
}

public interface IEmailSender
{
    Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken ct);
}

/// <summary>
/// The default: sends nothing outside the portal; the dispatcher's delivery-log row (committed with the outbox row's
/// "sent" mark) is the record of the message. Right for development, demos and a merchant without a gateway.
/// </summary>
public sealed class LogOnlySender : ISmsSender, IEmailSender
{
    public Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken ct) => Task.FromResult(new SendResult(true, "log"));
}

public sealed class SmsGatewayOptions
{
    public const string Section = "Notifications:Sms";

    /// <summary>Empty = <see cref="LogOnlySender"/>. Else the gateway's URL; it receives a JSON POST per message.</summary>
    public string? Url { get; set; }
    /// <summary>Sent as "Authorization: Bearer …" when set.</summary>
    public string? ApiKey { get; set; }
    public string? SignName { get; set; }
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
