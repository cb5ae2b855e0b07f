/** A treatment on the clinic's price list; its keywords price calls that mention it. */
export interface Service {
  id: string;
  orgId: string;
  name: string;
  priceCents: number;
  keywords: string[];
  createdAt: Date;
  updatedAt: Date;
}

export type ServiceDraft = Pick<Service, "name" | "priceCents" | "keywords">;

/** The price list every new organization starts with (the seed's, in cents). */
export const DEFAULT_PRICE_LIST: readonly ServiceDraft[] = [
  { name: "Botox", priceCents: 40_000, keywords: ["botox", "wrinkle", "injection"] },
  { name: "Facelift", priceCents: 800_000, keywords: ["facelift", "face lift"] },
  { name: "Rhinoplasty", priceCents: 600_000, keywords: ["rhinoplasty", "nose job"] },
  {
    name: "Breast Augmentation",
    priceCents: 750_000,
    keywords: ["breast augmentation", "breast implants", "boob job"],
  },
  { name: "Liposuction", priceCents: 500_000, keywords: ["liposuction", "lipo"] },
  { name: "Fillers", priceCents: 50_000, keywords: ["filler", "fillers", "dermal filler", "lip filler"] },
  { name: "Consultation", priceCents: 15_000, keywords: ["consultation", "consult"] },
];
