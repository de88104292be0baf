namespace MerchantPortal.Web.Features.Handover;

public sealed class HandoverResources;
