namespace MerchantPortal.Web.Features.Dashboard;

public sealed class DashboardResources;
