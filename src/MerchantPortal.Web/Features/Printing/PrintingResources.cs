namespace MerchantPortal.Web.Features.Printing;

public sealed class PrintingResources;
