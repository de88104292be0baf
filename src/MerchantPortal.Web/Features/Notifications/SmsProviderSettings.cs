using MerchantPortal.Web.Features.Admin.Settings;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Features.Notifications;

public enum SmsProviderKind
{
    None,
    Aliyun,
    Tencent,
}

/// <summary>
/// The SMS provider Admin chose (setting "notifications.sms"). The secret is stored protected with Data Protection (as
/// carrier secrets) and never leaves the server again: the page shows only whether one is set.
/// </summary>
/// <param name="AccessKeyId">Alibaba Cloud AccessKey ID, or Tencent Cloud SecretId.</param>
/// <param name="SecretProtected">AccessKey secret / SecretKey, protected.</param>
/// <param name="SignName">签名: the provider puts it in 【】 at the start of every SMS.</param>
/// <param name="SdkAppId">Tencent only: SmsSdkAppId.</param>
/// <param name="Templates">Per milestone name: the provider's template code (Alibaba "SMS_…", Tencent a number), optionally
/// followed by ":" and the placeholder names the template takes, in order ("SMS_1234:orderNo,trackingNo").</param>
public sealed record SmsProviderSettings(SmsProviderKind Provider, string? AccessKeyId, string? SecretProtected, string? SignName,
    string? SdkAppId, IReadOnlyDictionary<string, string>? Templates)
{
    public const string Key = "notifications.sms";
    public static readonly SmsProviderSettings None = new(SmsProviderKind.None, null, null, null, null, null);

    /// <summary>The template code and its parameter names for a milestone; null when none is registered.</summary>
    public (string Code, IReadOnlyList<string> Params)? Template(NotificationMilestone? milestone)
    {
        if (milestone is null || Templates is null || !Templates.TryGetValue(milestone.Value.ToString(), out var text) || string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var parts = text.Split(':', 2, StringSplitOptions.TrimEntries);
        var names = parts.Length == 2 ? parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        return (parts[0], names);
    }
}

/// <param name="Secret">Empty or null keeps the stored secret (the page never receives it back).</param>
public sealed record SmsProviderInput(SmsProviderKind Provider, string? AccessKeyId, string? Secret, string? SignName, string? SdkAppId,
    IReadOnlyDictionary<string, string>? Templates);

/// <param name="Ok">The provider accepted the signed request.</param>
/// <param name="Code">The provider's own code ("InvalidAccessKeyId.NotFound", "AuthFailure.SignatureFailure"…).</param>
public sealed record SmsConnectionResult(bool Ok, string? Code, string? Message);

/// <summary>Reads, saves and tests the SMS provider setting; the selector of the sender in use.</summary>
public sealed class SmsProviders(PortalSettings settings, IDataProtectionProvider protection, IHostEnvironment environment,
    IOptions<SmsGatewayOptions> gateway, IServiceProvider services)
{
    private readonly IDataProtector protector = protection.CreateProtector("MerchantPortal.Notifications.SmsSecrets.v1");

    /// <summary>Development: a channel without a provider logs its messages (not sent); elsewhere it is "not configured".</summary>
    public bool LogsOnly => environment.IsDevelopment();

    public Task<SmsProviderSettings> CurrentAsync(CancellationToken ct = default) => settings.GetAsync(SmsProviderSettings.Key, SmsProviderSettings.None, ct);

    public string Unprotect(SmsProviderSettings s) => s.SecretProtected is null ? "" : protector.Unprotect(s.SecretProtected);

    /// <summary>Validation errors by field (empty when saved).</summary>
    public async Task<IReadOnlyDictionary<string, string>> SaveAsync(SmsProviderInput input, string actor, CancellationToken ct = default)
    {
        var current = await CurrentAsync(ct);
        var errors = new Dictionary<string, string>();
        var secretProtected = string.IsNullOrWhiteSpace(input.Secret)
            ? (input.Provider == current.Provider ? current.SecretProtected : null)
            : protector.Protect(input.Secret.Trim());
        if (input.Provider != SmsProviderKind.None)
        {
            if (string.IsNullOrWhiteSpace(input.AccessKeyId) || input.AccessKeyId.Trim().Length > 128)
            {
                errors["accessKeyId"] = "required";
            }
            if (secretProtected is null)
            {
                errors["secret"] = "required";
            }
            if (string.IsNullOrWhiteSpace(input.SignName) || input.SignName.Trim().Length > 20)
            {
                errors["signName"] = "required";
            }
            if (input.Provider == SmsProviderKind.Tencent && (string.IsNullOrWhiteSpace(input.SdkAppId) || !input.SdkAppId.Trim().All(char.IsAsciiDigit)))
            {
                errors["sdkAppId"] = "required";
            }
        }
        if (errors.Count > 0)
        {
            return errors;
        }
        var templates = input.Templates?.Where(t => !string.IsNullOrWhiteSpace(t.Value) && Enum.TryParse<NotificationMilestone>(t.Key, out _))
            .ToDictionary(t => t.Key, t => t.Value.Trim());
        await settings.SetAsync(SmsProviderSettings.Key, new SmsProviderSettings(input.Provider, input.AccessKeyId?.Trim(), secretProtected,
            input.SignName?.Trim(), input.SdkAppId?.Trim(), templates), actor, ct);
        return errors;
    }

    /// <summary>Whether SMS leaves the portal, for start-up, /health/ready and the notifications page.</summary>
    public async Task<bool> IsConfiguredAsync(CancellationToken ct = default) =>
        !string.IsNullOrWhiteSpace(gateway.Value.Url) || (await CurrentAsync(ct)).Provider != SmsProviderKind.None;

    /// <summary>The sender for the current setting: a cloud provider, the HTTP gateway, else log-only (Development) or not configured.</summary>
    public async Task<ISmsSender> SenderAsync(CancellationToken ct = default)
    {
        var current = await CurrentAsync(ct);
        return current.Provider switch
        {
            SmsProviderKind.Aliyun => new AliyunSmsSender(services.GetRequiredService<AliyunSmsClient>(), current, Unprotect(current)),
            SmsProviderKind.Tencent => new TencentSmsSender(services.GetRequiredService<TencentSmsClient>(), current, Unprotect(current)),
            _ when !string.IsNullOrWhiteSpace(gateway.Value.Url) => services.GetRequiredService<HttpSmsGatewaySender>(),
            _ when environment.IsDevelopment() => new LogOnlySender(),
            _ => new NotConfiguredSender(),
        };
    }

    /// <summary>The configured signature (签名): the provider setting's, else Notifications:Sms:SignName.</summary>
    public async Task<string?> SignNameAsync(CancellationToken ct = default)
    {
        var current = await CurrentAsync(ct);
        return current.Provider != SmsProviderKind.None && !string.IsNullOrWhiteSpace(current.SignName) ? current.SignName : gateway.Value.SignName;
    }

    /// <summary>A signed read-only call with the given (or stored) credentials: shows at once whether they are right.</summary>
    public async Task<SmsConnectionResult> TestAsync(SmsProviderInput input, CancellationToken ct = default)
    {
        var current = await CurrentAsync(ct);
        var secret = string.IsNullOrWhiteSpace(input.Secret) ? (input.Provider == current.Provider ? Unprotect(current) : "") : input.Secret.Trim();
        var id = input.AccessKeyId?.Trim() ?? "";
        return input.Provider switch
        {
            SmsProviderKind.Aliyun => await services.GetRequiredService<AliyunSmsClient>().TestAsync(id, secret, ct),
            SmsProviderKind.Tencent => await services.GetRequiredService<TencentSmsClient>().TestAsync(id, secret, input.SdkAppId?.Trim() ?? "", ct),
            _ => new SmsConnectionResult(false, "NoProvider", null),
        };
    }
}

/// <summary>The dispatcher's SMS sender: whatever <see cref="SmsProviders"/> says at the time of each message.</summary>
public sealed class SelectedSmsSender(SmsProviders providers) : ISmsSender
{
    public async Task<SendResult> SendAsync(OutgoingMessage message, CancellationToken ct) =>
        await (await providers.SenderAsync(ct)).SendAsync(message, ct);
}
