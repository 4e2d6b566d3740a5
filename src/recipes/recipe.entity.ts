import { Column, Entity, PrimaryColumn, Unique } from 'typeorm';
import type { Ingredient } from './recipe.types';

@Entity('recipes')
@Unique('uq_recipes_source', ['source', 'sourceId'])
export class RecipeEntity {
  @PrimaryColumn('text')
  id: string;

  @Column('text')
  source: string;

  @Column('text', { name: 'source_id' })
  sourceId: string;

  @Column('text')
  name: string;

  @Column('text', { nullable: true })
  description: string | null;

  @Column('text')
  language: string;

  @Column('text', { nullable: true })
  category: string | null;

  @Column('text', { nullable: true })
  cuisine: string | null;

  @Column('text', { nullable: true })
  region: string | null;

  @Column('simple-json')
  ingredients: Ingredient[];

  @Column('simple-json')
  steps: string[];

  @Column('simple-json')
  tags: string[];

  @Column('simple-json')
  diets: string[];

  @Column('simple-json')
  flavors: string[];

  @Column('simple-json')
  methods: string[];

  @Column('simple-json')
  tools: string[];

  @Column('simple-json')
  allergens: string[];

  @Column('integer', { name: 'total_minutes', nullable: true })
  totalMinutes: number | null;

  @Column('integer', { nullable: true })
  difficulty: number | null;

  @Column('integer', { nullable: true })
  calories: number | null;

  @Column('real', { nullable: true })
  servings: number | null;

  @Column('text', { nullable: true })
  url: string | null;

  @Column('simple-json')
  extra: Record<string, unknown>;

  @Column('text', { name: 'content_hash' })
  contentHash: string;

  @Column('text', { name: 'created_at' })
  createdAt: string;

  @Column('text', { name: 'updated_at' })
  updatedAt: string;
}
