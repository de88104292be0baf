namespace MerchantPortal.Web.Features.Admin;

public sealed class AdminResources;
