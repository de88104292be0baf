using MerchantPortal.Web.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Tests.Startup;

/// <summary>
/// A wrong setting stops the portal before it does anything (no database is migrated), and the failure names the
/// configuration key and the reason, so an operator can fix it from the message alone.
/// </summary>
public class BadSettingsStopStartUpTests
{
    [Theory]
    [InlineData("Carriers:Gateway:AttemptTimeout", "00:00:00", "Carriers:Gateway:AttemptTimeout is 00:00:00; it must be between 10 ms and 1 day.")]
    [InlineData("Carriers:Gateway:TotalTimeout", "2.00:00:00", "Carriers:Gateway:TotalTimeout is 2.00:00:00; it must be between 10 ms and 1 day.")]
    [InlineData("Carriers:Gateway:AttemptTimeout", "00:01:00", "Carriers:Gateway:AttemptTimeout (00:01:00) is longer than Carriers:Gateway:TotalTimeout (00:00:30)")]
    public async Task A_bad_carrier_gateway_timeout_stops_start_up_naming_the_key(string key, string value, string reason)
    {
        var (failure, dataDirectory) = await StartWithAsync(key, value);

        Assert.Contains(reason, failure.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dataDirectory, "portal.db")), "the database was migrated before the settings were checked");
    }

    [Theory]
    [InlineData("Notifications:Sms:TencentRegion", "frankfurt", "Notifications:Sms:TencentRegion is a Tencent Cloud region")]
    [InlineData("Notifications:Sms:AliyunEndpoint", "dysmsapi", "Notifications:Sms:AliyunEndpoint: ")]
    [InlineData("Notifications:Sms:ApiKey", "gateway-key", "Notifications:Sms:ApiKey is set but Notifications:Sms:Url is empty")]
    [InlineData("Notifications:Sms:SignName", "这是一个远远超过二十个字符的短信签名用来测试启动校验是否生效", "Notifications:Sms:SignName: ")]
    public async Task Bad_SMS_settings_stop_start_up_naming_the_key(string key, string value, string reason)
    {
        var (failure, _) = await StartWithAsync(key, value);

        Assert.Contains(reason, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Telemetry:Otlp:Endpoint", "otel-collector:4317", "Telemetry:Otlp:Endpoint must be an absolute http:// or https:// address")]
    [InlineData("Telemetry:Otlp:Protocol", "Http", "'Http' at 'Telemetry:Otlp:Protocol'")]
    [InlineData("Telemetry:TraceSampleRatio", "1.5", "Telemetry:TraceSampleRatio must be between 0 and 1.")]
    public async Task Bad_telemetry_settings_stop_start_up_naming_the_key(string key, string value, string reason)
    {
        var (failure, _) = await StartWithAsync(key, value);

        Assert.Contains(reason, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Oracle", "'Oracle' at 'Database:Provider'")]
    [InlineData("7", "Database:Provider is Sqlite, SqlServer or PostgreSql.")]
    public async Task An_unknown_database_provider_stops_start_up_naming_the_key(string provider, string reason)
    {
        var (failure, _) = await StartWithAsync("Database:Provider", provider);

        Assert.Contains(reason, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_whose_absolute_limit_is_shorter_than_its_idle_timeout_stops_start_up()
    {
        var (failure, _) = await StartWithAsync("Session:AbsoluteTimeout", "00:10:00");

        Assert.Contains("Session:AbsoluteTimeout (00:10:00) is shorter than Session:IdleTimeout (00:30:00).", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>Starts a test portal with one setting changed and returns the validation failure it stopped with.</summary>
    private static async Task<(OptionsValidationException Failure, string DataDirectory)> StartWithAsync(string key, string value)
    {
        await using var factory = new PortalFactory(overrides: new Dictionary<string, string?> { [key] = value });

        var thrown = Record.Exception(() => factory.Start());

        Assert.NotNull(thrown);
        var failure = Flatten(thrown).OfType<OptionsValidationException>().FirstOrDefault();
        Assert.True(failure is not null, $"start-up failed without an options validation error: {thrown}");
        return (failure, factory.DataDirectory);
    }

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        yield return exception;
        var inner = exception is AggregateException aggregate ? aggregate.InnerExceptions : (IEnumerable<Exception>)(exception.InnerException is null ? [] : [exception.InnerException]);
        foreach (var child in inner.SelectMany(Flatten))
        {
            yield return child;
        }
    }
}
