import { GialloZafferanoCsvImporter } from './giallozafferano-csv.importer';
import { HowToCookMarkdownImporter } from './howtocook-markdown.importer';
import { IndianFoodCsvImporter } from './indian-food-csv.importer';
import { RecipeImporter } from './importer.types';
import { RecipeJsonImporter } from './recipe-json.importer';
import { assertPathExists } from './source-files';
import { YunYouJunCsvImporter } from './yunyoujun-csv.importer';

/** Picks the importer for a file or folder, by its content, or for a bundled source by name. */
export class RecipeImporterRegistry {
  /**
   * Order matters for folders: the GialloZafferano folder carries a readme.md and HowToCook is
   * recognised by Markdown files, so the CSV formats, whose headers are unambiguous, go first.
   */
  readonly importers: readonly RecipeImporter[] = [
    new YunYouJunCsvImporter(),
    new IndianFoodCsvImporter(),
    new GialloZafferanoCsvImporter(),
    new RecipeJsonImporter(),
    new HowToCookMarkdownImporter(),
  ];

  forPath(path: string): RecipeImporter {
    assertPathExists(path, 'recipe');
    const importer = this.importers.find((candidate) => candidate.accepts(path));
    if (!importer) {
      throw new Error(
        `Unrecognised recipe format at ${path}: expected a HowToCook folder or .md file, a recipe.csv ` +
          `(name,stuff,bv…), indian_food.csv (name,ingredients,diet…), a GialloZafferano recipes.csv ` +
          `(Name;ID;Link…) or a .json file`,
      );
    }
    return importer;
  }

  bySource(source: string): RecipeImporter {
    const importer = this.importers.find((candidate) => candidate.source === source);
    if (!importer) {
      throw new Error(`No importer for source "${source}"; known: ${this.importers.map((i) => i.source).join(', ')}`);
    }
    return importer;
  }
}
