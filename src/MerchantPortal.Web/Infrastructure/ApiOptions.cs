using System.ComponentModel.DataAnnotations;

namespace MerchantPortal.Web.Infrastructure;

/// <summary>Settings of the /api/v1 conventions (section "Api").</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>
    /// How long a request holding an Idempotency-Key may go without renewing it before a repeat of the key takes
    /// it over (<see cref="IdempotencyMiddleware"/>). It bounds how long a key stays answering 409 after the process
    /// that held it died; the holder renews it every third of it, so it does not bound how long a request may run.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:03", "01:00:00", ErrorMessage = "Api:IdempotencyLease must be between 3 seconds and 1 hour.")]
    public TimeSpan IdempotencyLease { get; set; } = TimeSpan.FromSeconds(60);
}
