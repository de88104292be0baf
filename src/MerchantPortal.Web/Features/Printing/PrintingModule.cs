using MerchantPortal.Web.Infrastructure;

namespace MerchantPortal.Web.Features.Printing;

/// <summary>Printers per warehouse, the print-job queue (labels of finished batches go out by themselves), reprints.</summary>
public sealed class PrintingModule : IPortalModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PrintingOptions>(configuration, PrintingOptions.Section);
        services.AddSingleton<RawTcpPrinter>();
        services.AddSingleton<PrintRendering>();
        services.AddSingleton<PrintQueueSweep>();
        services.AddSingleton<PrintSender>();
        services.AddTransient<PrintQueueJob>();
        services.AddTransient<PrinterService>();
        services.AddTransient<PrintJobService>();
        services.AddHostedService<PrintQueuePoller>();
        // Seconds field: Hangfire reads a six-part cron with seconds.
        services.AddRecurringJob<PrintQueueJob>("printing:queue", "default", "* * * * *", job => job.RunAsync(CancellationToken.None));
    }

    public void MapEndpoints(WebApplication app, RouteGroupBuilder api) => PrintingEndpoints.Map(app, api);
}
