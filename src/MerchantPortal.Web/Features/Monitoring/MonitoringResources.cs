namespace MerchantPortal.Web.Features.Monitoring;

public sealed class MonitoringResources;
