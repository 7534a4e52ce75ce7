using Refit;

namespace EvGateway.Manufacturers.Psa;

/// <summary>
/// The account's car associations (psa.md §1b step 4), where a browser login finds the customer id. HTTP shape only:
/// the base address is Psa:CarAssociationsUrl itself; auth and client_id come from <see cref="PsaAuthHandler"/>.
/// </summary>
internal interface IPsaCarAssociationsApi
{
    [Get("")]
    Task<IReadOnlyList<PsaCarAssociationDto>> GetAsync(CancellationToken cancellationToken);
}
