import { PartialType } from '@nestjs/swagger';
import { RecipeInputDto } from './recipe-input.dto';

/** PATCH body: any subset of the recipe's fields. */
export class RecipePatchDto extends PartialType(RecipeInputDto) {}
