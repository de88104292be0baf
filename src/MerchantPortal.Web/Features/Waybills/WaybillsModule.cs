using MerchantPortal.Web.Features.Orders;
using MerchantPortal.Web.Features.Waybills.Labels;
using MerchantPortal.Web.Infrastructure;
using Microsoft.Extensions.Options;

namespace MerchantPortal.Web.Features.Waybills;

/// <summary>Waybill batches, labels, voids, the handover list and automatic waybills on approval.</summary>
public sealed class WaybillsModule : IPortalModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<WaybillOptions>(configuration, WaybillOptions.Section);
        // The batch engine reads the validated values as a plain object.
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<WaybillOptions>>().Value);
        services.AddSingleton<LabelPdfRenderer>();
        services.AddSingleton(new LabelZplRenderer());
        services.AddSingleton(new LabelTsplRenderer());
        services.AddSingleton<WaybillBatchService>();
        services.AddSingleton<IWorkSource>(sp => sp.GetRequiredService<WaybillBatchService>());
        services.AddSingleton<WaybillMetrics>();
        services.AddTransient<WaybillBatchJob>();
        services.AddTransient<WaybillRegistration>();
        services.AddTransient<WaybillService>();
        services.AddSingleton<AutoWaybills>();
        services.AddSingleton<IOrderApprovedHandler>(sp => sp.GetRequiredService<AutoWaybills>());
    }

    public void MapEndpoints(WebApplication app, RouteGroupBuilder api)
    {
        AutoWaybillEndpoints.Map(api);
        WaybillEndpoints.Map(app, api);
    }
}
