using System.ComponentModel.DataAnnotations;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MerchantPortal.Web.Features.Notifications;

public enum SmtpSecurity
{
    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,
    /// <summary>STARTTLS required (port 587).</summary>
    StartTls,
    /// <summary>No TLS: only for a relay on the same machine or a test server.</summary>
    None,
}

public sealed class SmtpOptions
{
    public const string Section = "Notifications:Email:Smtp";

    /// <summary>Empty = no e-mail provider (log-only in Development, "not configured" elsewhere).</summary>
    public string? Host { get; set; }
    [Range(1, 65535)]
    public int Port { get; set; } = 587;
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;
    public string? UserName { get; set; }
    public string? Password { get; set; }
    [EmailAddress]
    public string? From { get; set; }
    [MaxLength(100)]
    public string? FromName { get; set; }
    /// <summary>
    /// SHA-256 of a relay's own certificate (hex), accepted although no public authority signed it (an in-house relay).
    /// Empty: only certificates the machine trusts.
    /// </summary>
    [RegularExpression("^([0-9A-Fa-f]{64})?$", ErrorMessage = "Notifications:Email:Smtp:CertificateThumbprint is the SHA-256 of the certificate, 64 hex digits.")]
    public string? CertificateThumbprint { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>Checks across options that data annotations cannot express, so a wrong setting stops start-up with its key.</summary>
public sealed class SmtpOptionsValidator : IValidateOptions<SmtpOptions>
{
    public ValidateOptionsResult Validate(string? name, SmtpOptions o)
    {
        if (o.IsConfigured && string.IsNullOrWhiteSpace(o.From))
        {
            return ValidateOptionsResult.Fail($"{SmtpOptions.Section}:From is required when {SmtpOptions.Section}:Host is set (the sender address).");
        }
        if (!string.IsNullOrEmpty(o.UserName) && string.IsNullOrEmpty(o.Password))
        {
            return ValidateOptionsResult.Fail($"{SmtpOptions.Section}:Password is required when {SmtpOptions.Section}:UserName is set.");
        }
        return ValidateOptionsResult.Success;
    }
}

/// <summary>
/// E-mail over SMTP with MailKit: TLS as configured, authentication when a user is set. The SMTP server's queue id
/// (from its 250 answer) is the message id in the log. A refusal or a dropped connection is returned for a retry.
/// </summary>
public sealed class SmtpEmailSender(IOptions<SmtpOptions> options) : IEmailSender
{
    public const string Provider = "smtp";

    public async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        var o = options.Value;
        var mail = new MimeMessage();
        mail.From.Add(new MailboxAddress(o.FromName ?? "", o.From ?? ""));
        mail.To.Add(MailboxAddress.Parse(message.To));
        mail.Subject = message.Subject ?? "";
        mail.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId();
        // The outbox reference lets a receiving system spot a resend after a crash between sending and logging.
        mail.Headers.Add("X-MerchantPortal-Reference", message.Reference);
        mail.Body = new TextPart("plain") { Text = message.Body };
        using var client = new SmtpClient();
        if (!string.IsNullOrWhiteSpace(o.CertificateThumbprint))
        {
            var pinned = o.CertificateThumbprint;
            client.ServerCertificateValidationCallback = (_, certificate, _, errors) => errors == System.Net.Security.SslPolicyErrors.None
                || (certificate is not null && string.Equals(certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), pinned, StringComparison.OrdinalIgnoreCase));
        }
        try
        {
            var security = o.Security switch
            {
                SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
                _ => SecureSocketOptions.None,
            };
            await client.ConnectAsync(o.Host ?? "", o.Port, security, ct);
            if (!string.IsNullOrEmpty(o.UserName))
            {
                await client.AuthenticateAsync(o.UserName, o.Password ?? "", ct);
            }
            await client.SendAsync(mail, ct);
            await client.DisconnectAsync(true, ct);
            return new SendResult(true, Provider, Truncate(mail.MessageId));
        }
        catch (Exception ex) when (ex is SmtpCommandException or SmtpProtocolException or AuthenticationException or IOException
            or System.Net.Sockets.SocketException or MailKit.ServiceNotConnectedException or SslHandshakeException && !ct.IsCancellationRequested)
        {
            return new SendResult(false, Provider, Error: ex.Message);
        }
    }

    private static string? Truncate(string? s) => s?.Length > 100 ? s[..100] : s;
}

/// <summary>Whether each channel reaches a provider: /health/ready is Degraded outside Development when one does not.</summary>
public sealed class MessagingHealthCheck(SmsProviders sms, IOptions<SmtpOptions> smtp, IHostEnvironment environment) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var missing = await MessagingStatus.MissingAsync(sms, smtp.Value, cancellationToken);
        if (missing.Count == 0)
        {
            return HealthCheckResult.Healthy("SMS and e-mail have a provider.");
        }
        var text = $"No provider for {string.Join(" and ", missing)}: such messages are {(environment.IsDevelopment() ? "logged, not sent" : "not sent (not configured)")}.";
        return environment.IsDevelopment() ? HealthCheckResult.Healthy(text) : HealthCheckResult.Degraded(text);
    }
}

public static class MessagingStatus
{
    /// <summary>The channels without a provider, as <see cref="NotificationChannel"/> names (for the pages' wording).</summary>
    public static async Task<IReadOnlyList<string>> MissingChannelsAsync(SmsProviders sms, SmtpOptions smtp, CancellationToken ct = default)
    {
        var missing = new List<string>();
        if (!await sms.IsConfiguredAsync(ct))
        {
            missing.Add(nameof(NotificationChannel.Sms));
        }
        if (!smtp.IsConfigured)
        {
            missing.Add(nameof(NotificationChannel.Email));
        }
        return missing;
    }

    /// <summary>The channels without a provider ("SMS", "e-mail").</summary>
    public static async Task<IReadOnlyList<string>> MissingAsync(SmsProviders sms, SmtpOptions smtp, CancellationToken ct)
    {
        var missing = new List<string>();
        if (!await sms.IsConfiguredAsync(ct))
        {
            missing.Add("SMS");
        }
        if (!smtp.IsConfigured)
        {
            missing.Add("e-mail");
        }
        return missing;
    }
}

/// <summary>At start-up, outside Development, a warning per channel that sends nothing.</summary>
public sealed class MessagingStartupCheck(IServiceProvider services, IHostEnvironment environment, ILogger<MessagingStartupCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (environment.IsDevelopment())
        {
            return;
        }
        try
        {
            var missing = await MessagingStatus.MissingAsync(services.GetRequiredService<SmsProviders>(), services.GetRequiredService<IOptions<SmtpOptions>>().Value, cancellationToken);
            foreach (var channel in missing)
            {
                logger.LogWarning("No {Channel} provider is configured: customer messages by {Channel} are recorded as not configured and not sent. "
                    + "Choose a provider on /notifications/settings (SMS) or set {Section} (e-mail).", channel, channel, SmtpOptions.Section);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The database may not be migrated yet on a first start; the health check says the same later.
            logger.LogWarning(ex, "Could not check the messaging providers at start-up");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The dispatcher's e-mail sender: SMTP when configured, else log-only (Development) or not configured.</summary>
public sealed class SelectedEmailSender(IOptions<SmtpOptions> smtp, IHostEnvironment environment, IServiceProvider services) : IEmailSender
{
    public Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken ct) =>
        smtp.Value.IsConfigured ? services.GetRequiredService<SmtpEmailSender>().SendAsync(message, ct)
        : environment.IsDevelopment() ? new LogOnlySender().SendAsync(message, ct)
        : new NotConfiguredSender().SendAsync(message, ct);
}
