// Lark card JSON 2.0, typed for the elements this bot uses (see ../shared/LARK.md §4).
export type TemplateColor =
  | 'blue' | 'wathet' | 'turquoise' | 'green' | 'yellow' | 'orange' | 'red'
  | 'carmine' | 'violet' | 'purple' | 'indigo' | 'grey' | 'default';

export interface PlainText {
  tag: 'plain_text';
  content: string;
}

export interface CardHeader {
  title: PlainText;
  subtitle?: PlainText;
  template?: TemplateColor;
}

export interface CallbackBehavior {
  type: 'callback';
  value: Record<string, unknown>;
}

export interface ButtonElement {
  tag: 'button';
  name?: string;
  text: PlainText;
  type?: 'default' | 'primary' | 'danger' | 'text' | 'primary_filled' | 'danger_filled' | 'laser';
  disabled?: boolean;
  form_action_type?: 'submit' | 'reset';
  behaviors?: CallbackBehavior[];
}

export interface SelectOption {
  text: PlainText;
  value: string;
}

export type FormChild =
  | { tag: 'input'; name: string; required?: boolean; placeholder?: PlainText; default_value?: string; max_length?: number; input_type?: 'text' | 'multiline_text'; rows?: number; label?: PlainText }
  | { tag: 'select_static'; name: string; required?: boolean; placeholder?: PlainText; options: SelectOption[]; initial_option?: string }
  | { tag: 'multi_select_static'; name: string; required?: boolean; placeholder?: PlainText; options: SelectOption[]; selected_values?: string[] }
  | { tag: 'date_picker'; name: string; required?: boolean; placeholder?: PlainText; initial_date?: string }
  | { tag: 'checker'; name: string; text: PlainText; checked?: boolean }
  | { tag: 'markdown'; content: string }
  | ButtonElement;

export interface TableColumn {
  name: string;
  display_name: string;
  data_type: 'text' | 'number' | 'lark_md' | 'date';
}

export type CardElement =
  | { tag: 'markdown'; content: string; text_size?: 'normal' | 'heading' | 'notation' }
  | { tag: 'div'; text: PlainText }
  | { tag: 'hr' }
  | { tag: 'column_set'; columns: { tag: 'column'; width: 'weighted' | 'auto'; weight?: number; elements: CardElement[] }[] }
  | ButtonElement
  | { tag: 'form'; name: string; elements: FormChild[] }
  | { tag: 'table'; page_size?: number; columns: TableColumn[]; rows: Record<string, string | number>[] }
  | { tag: 'chart'; chart_spec: Record<string, unknown>; aspect_ratio?: string }
  | { tag: 'collapsible_panel'; expanded?: boolean; header: { title: PlainText }; elements: CardElement[] }
  | { tag: 'person_list'; persons: { id: string }[] };

export interface Card {
  schema: '2.0';
  config?: { update_multi?: true; width_mode?: 'fill' | 'compact' };
  header?: CardHeader;
  body: { elements: CardElement[] };
}
