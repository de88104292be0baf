using System.ComponentModel.DataAnnotations;

namespace MerchantPortal.Web.Features.Printing;

/// <summary>How the print queue runs (section "Printing"); the defaults suit a warehouse, tests shorten the waits.</summary>
public sealed class PrintingOptions
{
    public const string Section = "Printing";

    /// <summary>How often this instance looks for finished batches and due jobs (the recurring job is the slower safety net).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00", ErrorMessage = "Printing:PollInterval must be between 50 ms and 10 minutes.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Only batches finished this recently get their labels queued, so adding a printer does not print last month's batches.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00", ErrorMessage = "Printing:QueueWindow must be between 1 minute and 7 days.")]
    public TimeSpan QueueWindow { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Tries before a job is Failed (the batch page then offers Retry).</summary>
    [Range(1, 1000, ErrorMessage = "Printing:MaxAttempts must be between 1 and 1000.")]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>Wait after the first failure; doubled after each further one, up to <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "Printing:RetryDelay must be between 10 ms and 1 hour.")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "Printing:MaxRetryDelay must be between 10 ms and 1 hour.")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Labels sent in one connection: one TCP write of many labels is how printers are fastest fed.</summary>
    [Range(1, 1000, ErrorMessage = "Printing:LabelsPerSend must be between 1 and 1000.")]
    public int LabelsPerSend { get; set; } = 50;

    /// <summary>Connect and write timeout of a raw-TCP print.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00", ErrorMessage = "Printing:SendTimeout must be between 100 ms and 5 minutes.")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Reprints allowed per waybill label; one more is refused (a lost label is reprinted, not a box of them).</summary>
    [Range(0, 100, ErrorMessage = "Printing:MaxReprints must be between 0 and 100.")]
    public int MaxReprints { get; set; } = 3;

    /// <summary>Run the in-process poller (tests that drive the queue by hand turn it off).</summary>
    public bool PollerEnabled { get; set; } = true;
}
